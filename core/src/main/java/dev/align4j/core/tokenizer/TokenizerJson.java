package dev.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes and checks Hugging Face {@code tokenizer.json} files for byte-level BPE: no normalizer, the
 * {@code ByteLevel} pre-tokenizer with GPT-2's regex and no prefix space, a {@code BPE} model without
 * unknown token or dropout, and the specials as added tokens. Anything else in such a file would
 * change ids, so {@link #requireByteLevelBpe} rejects it rather than encode differently from DJL.
 */
final class TokenizerJson {

    static final String FILE = "tokenizer.json";
    static final String CONFIG_FILE = "tokenizer_config.json";

    private TokenizerJson() {
    }

    static void writeByteLevelBpe(Path dir, String[] idToToken, List<String[]> merges, Map<String, Integer> specials) {
        ObjectMapper json = Json.mapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        specials.forEach((tok, id) -> added.addObject().put("id", id).put("content", tok).put("single_word", false)
                .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true));
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(json, false));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(json, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < idToToken.length; id++) {
            vocab.put(idToToken[id], id);
        }
        ArrayNode mergeArray = model.putArray("merges");
        // "left right" strings: readable by every tokenizers version; byte-level tokens hold no space
        merges.forEach(m -> mergeArray.add(m[0] + " " + m[1]));

        ObjectNode config = json.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        config.put("bos_token", SpecialTokens.BOS);
        config.put("eos_token", SpecialTokens.EOS);
        config.put("pad_token", SpecialTokens.PAD);
        config.put("add_bos_token", false);
        ObjectNode marker = json.createObjectNode();
        marker.put("type", "bpe");
        try {
            Files.createDirectories(dir);
            json.writeValue(dir.resolve(FILE).toFile(), root);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG_FILE).toFile(), config);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ByteTokenizer.MARKER_FILE).toFile(), marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer to " + dir, e);
        }
    }

    private static ObjectNode byteLevel(ObjectMapper json, boolean decoder) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", !decoder);
        n.put("use_regex", true);
        return n;
    }

    /** Throws a {@link UserInputException} naming the part of {@code root} the Java encoder cannot follow. */
    static void requireByteLevelBpe(Path file, JsonNode root) {
        JsonNode pre = root.path("pre_tokenizer");
        JsonNode model = root.path("model");
        if (!root.path("normalizer").isNull() && !root.path("normalizer").isMissingNode()) {
            throw UserInputException.at(file, 0, "normalizer", "must be null for the Java BPE tokenizer");
        }
        if (!"ByteLevel".equals(pre.path("type").asText()) || pre.path("add_prefix_space").asBoolean(false)
                || !pre.path("use_regex").asBoolean(true)) {
            throw UserInputException.at(file, 0, "pre_tokenizer", "must be ByteLevel without prefix space");
        }
        if (!"BPE".equals(model.path("type").asText()) || !model.path("continuing_subword_prefix").isNull()
                || !model.path("end_of_word_suffix").isNull()) {
            throw UserInputException.at(file, 0, "model", "must be a plain BPE model");
        }
    }
}
