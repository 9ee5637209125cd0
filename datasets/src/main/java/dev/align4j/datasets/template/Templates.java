package dev.align4j.datasets.template;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.datasets.format.DataFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The built-in templates and user templates from a file. A template file is YAML (or JSON) with the
 * keys of {@link ChatTemplate}, for example:
 *
 * <pre>
 * name: qa
 * bos: true
 * user: "Q: {content}\n"
 * assistant_prefix: "A: "
 * turn_end: "\n"
 * </pre>
 */
public final class Templates {

    /** Stanford Alpaca's prompt (Taori et al. 2023), with and without an input section. */
    public static final ChatTemplate ALPACA = new ChatTemplate("alpaca", true, "", "{content}\n\n",
            "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
                    + "### Instruction:\n{content}\n\n",
            "Below is an instruction that describes a task, paired with an input that provides further context. "
                    + "Write a response that appropriately completes the request.\n\n"
                    + "### Instruction:\n{content}\n\n### Input:\n{input}\n\n",
            "### Response:\n", "", "\n\n");

    /** ChatML turn markers; {@code <|im_start|>}/{@code <|im_end|>} are specials of align4j's tokenizers. */
    public static final ChatTemplate CHATML = new ChatTemplate("chatml", false, "",
            "<|im_start|>system\n{content}<|im_end|>\n", "<|im_start|>user\n{content}<|im_end|>\n", null,
            "<|im_start|>assistant\n", "<|im_end|>", "\n");

    /** Llama 3's header layout; the markers are plain text unless the tokenizer has them as specials. */
    public static final ChatTemplate LLAMA3 = new ChatTemplate("llama3", true, "",
            "<|start_header_id|>system<|end_header_id|>\n\n{content}<|eot_id|>",
            "<|start_header_id|>user<|end_header_id|>\n\n{content}<|eot_id|>", null,
            "<|start_header_id|>assistant<|end_header_id|>\n\n", "<|eot_id|>", "");

    /** Concatenation: the reply continues the prompt directly (completion-style data, the sentiment task). */
    public static final ChatTemplate PLAIN = new ChatTemplate("plain", true, "", "{content}\n\n", "{content}", null,
            "", "", "");

    private static final Map<String, ChatTemplate> BUILT_IN = new LinkedHashMap<>();

    static {
        for (ChatTemplate t : new ChatTemplate[] {ALPACA, CHATML, LLAMA3, PLAIN}) {
            BUILT_IN.put(t.name(), t);
        }
    }

    private Templates() {
    }

    public static Set<String> names() {
        return BUILT_IN.keySet();
    }

    /** A built-in template by name, or a template file by path. */
    public static ChatTemplate resolve(String nameOrPath) {
        ChatTemplate t = BUILT_IN.get(nameOrPath.toLowerCase(Locale.ROOT));
        if (t != null) {
            return t;
        }
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return load(p);
        }
        throw new UserInputException("--template: '" + nameOrPath + "' is neither a built-in template " + names()
                + " nor a file");
    }

    /** The usual template for a format: alpaca for Alpaca records, chatml for chats, plain otherwise. */
    public static ChatTemplate defaultFor(DataFormat format) {
        return switch (format) {
            case ALPACA -> ALPACA;
            case SHAREGPT, OPENAI, HH_RLHF, PREFERENCE -> CHATML;
            default -> PLAIN;
        };
    }

    /** Reads a template file (YAML or JSON; unknown keys are errors naming the key and file). */
    public static ChatTemplate load(Path file) {
        try {
            ChatTemplate t = Json.yaml().readValue(file.toFile(), ChatTemplate.class);
            return t.name().equals("custom") ? withName(t, file.getFileName().toString()) : t;
        } catch (UnrecognizedPropertyException e) {
            throw new UserInputException(file + ": " + e.getPropertyName() + ": unknown key (known: "
                    + e.getKnownPropertyIds() + ")", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UserInputException bad) {
                // the record's own validation, wrapped by Jackson
                throw new UserInputException(file + ": " + bad.getMessage(), bad);
            }
            throw new UserInputException(file + ": cannot read template: " + e.getMessage(), e);
        }
    }

    private static ChatTemplate withName(ChatTemplate t, String name) {
        return new ChatTemplate(name, t.bos(), t.defaultSystem(), t.system(), t.user(), t.userWithInput(),
                t.assistantPrefix(), t.assistantSuffix(), t.turnEnd());
    }
}
