package dev.align4j.core.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Any Hugging Face {@code tokenizer.json}, run by DJL's native tokenizers library. Special ids come
 * from {@code tokenizer_config.json} ({@code bos_token}, {@code eos_token}, {@code pad_token}) when
 * present, otherwise from well-known token names in the vocabulary; a missing pad falls back to eos.
 * Not thread-safe across {@link #close}; encoding itself is safe to call from several threads.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(HfTokenizer.class);
    private static final List<String> BOS_NAMES = List.of(SpecialTokens.BOS, "<|begin_of_text|>", "<s>", "<|endoftext|>");
    private static final List<String> EOS_NAMES = List.of(SpecialTokens.EOS, "<|end_of_text|>", "</s>", "<|endoftext|>", "<|im_end|>");
    private static final List<String> PAD_NAMES = List.of(SpecialTokens.PAD, "<pad>", "[PAD]", "<|finetune_right_pad_id|>");

    private final Path dir;
    private final HuggingFaceTokenizer hf;
    private final Map<String, Integer> specials;
    private final Map<Integer, String> specialById = new HashMap<>();
    private final int vocabSize;
    private final int bos;
    private final int eos;
    private final int pad;

    private HfTokenizer(Path dir, HuggingFaceTokenizer hf, Map<String, Integer> vocab, Map<String, Integer> specials,
                        JsonNode config) {
        this.dir = dir;
        this.hf = hf;
        this.specials = specials;
        specials.forEach((t, id) -> specialById.put(id, t));
        int max = -1;
        for (int id : vocab.values()) {
            max = Math.max(max, id);
        }
        for (int id : specials.values()) {
            max = Math.max(max, id);
        }
        this.vocabSize = max + 1;
        this.eos = resolve(config, "eos_token", EOS_NAMES, vocab, -1);
        this.bos = resolve(config, "bos_token", BOS_NAMES, vocab, eos);
        this.pad = resolve(config, "pad_token", PAD_NAMES, vocab, eos);
        if (eos < 0) {
            throw UserInputException.at(dir.resolve(TokenizerJson.FILE), 0, "eos_token",
                    "no end-of-sequence token: set eos_token in tokenizer_config.json");
        }
    }

    /** Loads {@code dir/tokenizer.json} (and {@code tokenizer_config.json} if there) without network. */
    public static HfTokenizer load(Path dir) {
        if (System.getProperty("ai.djl.offline") == null) {
            // DJL otherwise looks for a CUDA build of the native library online (DJL_NOTES.md)
            System.setProperty("ai.djl.offline", "true");
        }
        Path file = dir.resolve(TokenizerJson.FILE);
        ObjectMapper json = Json.mapper();
        try {
            JsonNode root = json.readTree(Files.readString(file));
            Path cfgFile = dir.resolve(TokenizerJson.CONFIG_FILE);
            JsonNode config = Files.exists(cfgFile) ? json.readTree(Files.readString(cfgFile)) : json.createObjectNode();
            Map<String, Integer> vocab = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("model").path("vocab").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                vocab.put(e.getKey(), e.getValue().asInt());
            }
            Map<String, Integer> specials = new LinkedHashMap<>();
            for (JsonNode t : root.path("added_tokens")) {
                if (t.path("special").asBoolean(false)) {
                    specials.put(t.path("content").asText(), t.path("id").asInt());
                }
                vocab.putIfAbsent(t.path("content").asText(), t.path("id").asInt());
            }
            // no truncation, padding or post-processor specials: Tokenizer.encode promises raw ids
            Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false",
                    "padding", "false", "modelMaxLength", String.valueOf(Integer.MAX_VALUE / 2));
            HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file, options);
            LOG.debug("loaded {} with {} ids", file, vocab.size());
            return new HfTokenizer(dir, hf, vocab, specials, config);
        } catch (IOException e) {
            throw TextFiles.readError(file, e);
        } catch (RuntimeException e) {
            if (e instanceof UserInputException) {
                throw e;
            }
            throw new UserInputException(file + ": not a tokenizer DJL can load: " + e.getMessage(), e);
        }
    }

    private static int resolve(JsonNode config, String key, List<String> names, Map<String, Integer> vocab, int fallback) {
        JsonNode v = config.path(key);
        String name = v.isObject() ? v.path("content").asText(null) : v.isTextual() ? v.asText() : null;
        if (name != null && vocab.containsKey(name)) {
            return vocab.get(name);
        }
        for (String n : names) {
            if (vocab.containsKey(n)) {
                return vocab.get(n);
            }
        }
        return fallback;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = hf.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return hf.decode(l, true);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public int padId() {
        return pad;
    }

    @Override
    public List<Integer> specialIds() {
        List<Integer> ids = new ArrayList<>(specials.values());
        for (int id : List.of(bos, eos, pad)) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Override
    public Optional<String> specialToken(int id) {
        return Optional.ofNullable(specialById.get(id));
    }

    /**
     * Copies {@code tokenizer.json}, {@code tokenizer_config.json}, {@code special_tokens_map.json}
     * and {@code chat_template.jinja} where present; loading them gives this tokenizer back.
     */
    @Override
    public void save(Path target) {
        try {
            Files.createDirectories(target);
            for (String f : HfTokenizerFiles.COPIED) {
                Path src = dir.resolve(f);
                if (Files.exists(src) && !src.toAbsolutePath().normalize().equals(target.resolve(f).toAbsolutePath().normalize())) {
                    Files.copy(src, target.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer to " + target, e);
        }
    }

    @Override
    public void close() {
        hf.close();
    }
}
