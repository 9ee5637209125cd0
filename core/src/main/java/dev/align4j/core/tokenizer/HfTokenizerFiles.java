package dev.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer-side files of a Hugging Face model folder, named as transformers names them, and the
 * two that depend on more than the tokenizer: the chat template (a Jinja string in
 * {@code tokenizer_config.json} and in {@code chat_template.jinja}) and {@code generation_config.json}.
 */
public final class HfTokenizerFiles {

    /** The fast tokenizer: {@code tokenizers.Tokenizer.from_file} and {@code AutoTokenizer} read it. */
    public static final String TOKENIZER_JSON = "tokenizer.json";
    /** Tokenizer class, special tokens and {@code chat_template}. */
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    /** bos/eos/pad and additional special tokens, for older transformers versions. */
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    /** The chat template alone, where recent transformers versions save it. */
    public static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";
    /** Defaults of {@code model.generate}: bos, eos and pad ids. */
    public static final String GENERATION_CONFIG = "generation_config.json";

    /** The files {@link Tokenizer#save} of an {@link HfTokenizer} copies when they exist. */
    static final List<String> COPIED = List.of(TOKENIZER_JSON, TOKENIZER_CONFIG, SPECIAL_TOKENS_MAP, CHAT_TEMPLATE_JINJA);

    private HfTokenizerFiles() {
    }

    /**
     * Puts {@code jinja} in {@code dir}'s {@code tokenizer_config.json} (key {@code chat_template};
     * the file is created if missing) and in {@code chat_template.jinja}.
     *
     * @param keepExisting leave a template already in the config alone (an imported model's own one)
     */
    public static void writeChatTemplate(Path dir, String jinja, boolean keepExisting) {
        Path file = dir.resolve(TOKENIZER_CONFIG);
        ObjectNode config;
        try {
            config = Files.exists(file) ? (ObjectNode) Json.mapper().readTree(file.toFile()) : Json.mapper().createObjectNode();
        } catch (IOException | ClassCastException e) {
            throw TextFiles.readError(file, e);
        }
        JsonNode existing = config.get("chat_template");
        if (keepExisting && existing != null && existing.isTextual()) {
            return;
        }
        config.put("chat_template", jinja);
        AtomicFiles.writeString(file, Json.pretty(config));
        AtomicFiles.writeString(dir.resolve(CHAT_TEMPLATE_JINJA), jinja);
    }

    /**
     * {@code generation_config.json} for {@code tokenizer}: bos and eos ids, and the pad id only when it
     * is a token of its own, since a pad equal to eos makes trainers mask the real end of sequence.
     */
    public static void writeGenerationConfig(Path dir, Tokenizer tokenizer) {
        ObjectNode g = Json.mapper().createObjectNode();
        g.put("bos_token_id", tokenizer.bosId());
        g.put("eos_token_id", tokenizer.eosId());
        if (tokenizer.padId() != tokenizer.eosId()) {
            g.put("pad_token_id", tokenizer.padId());
        }
        AtomicFiles.writeString(dir.resolve(GENERATION_CONFIG), Json.pretty(g));
    }
}
