package dev.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
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

    static final String FILE = HfTokenizerFiles.TOKENIZER_JSON;
    static final String CONFIG_FILE = HfTokenizerFiles.TOKENIZER_CONFIG;
    static final String SPECIAL_TOKENS_MAP_FILE = HfTokenizerFiles.SPECIAL_TOKENS_MAP;
    private static final List<String> MAIN_SPECIALS = List.of(SpecialTokens.BOS, SpecialTokens.EOS, SpecialTokens.PAD);

    private TokenizerJson() {
    }

    /**
     * Writes {@code tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json}
     * (what {@code AutoTokenizer.from_pretrained} and {@code tokenizers.Tokenizer.from_file} read) and
     * the align4j marker of {@code markerType}.
     */
    static void writeByteLevelBpe(Path dir, String[] idToToken, List<String[]> merges, Map<String, Integer> specials,
            String markerType) {
        ObjectMapper json = Json.mapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        specials.forEach((tok, id) -> addedToken(added.addObject().put("id", id), tok));
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

        ObjectNode marker = json.createObjectNode();
        marker.put("type", markerType);
        if ("byte".equals(markerType)) {
            marker.putPOJO("special_tokens", SpecialTokens.DEFAULTS);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer to " + dir, e);
        }
        AtomicFiles.writeString(dir.resolve(FILE), Json.line(root));
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE), Json.pretty(config(json, specials)));
        AtomicFiles.writeString(dir.resolve(SPECIAL_TOKENS_MAP_FILE), Json.pretty(specialTokensMap(json, specials)));
        AtomicFiles.writeString(dir.resolve(ByteTokenizer.MARKER_FILE), Json.pretty(marker));
    }

    /**
     * {@code tokenizer_config.json} for {@code PreTrainedTokenizerFast}: bos/eos/pad by name (no unk: a
     * byte-level vocabulary has no unknown input), the other specials as additional ones, the added
     * tokens by id, no BOS added by {@code encode} (templates add it) and no clean-up of spaces on
     * decode (which would change text such as {@code " ."}).
     */
    private static ObjectNode config(ObjectMapper json, Map<String, Integer> specials) {
        ObjectNode config = json.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        ObjectNode decoder = config.putObject("added_tokens_decoder");
        specials.forEach((tok, id) -> addedToken(decoder.putObject(String.valueOf(id)), tok));
        config.put("bos_token", SpecialTokens.BOS);
        config.put("eos_token", SpecialTokens.EOS);
        config.put("pad_token", SpecialTokens.PAD);
        ArrayNode extra = config.putArray("additional_special_tokens");
        specials.keySet().stream().filter(t -> !MAIN_SPECIALS.contains(t)).forEach(extra::add);
        config.put("add_bos_token", false);
        config.put("add_eos_token", false);
        config.put("clean_up_tokenization_spaces", false);
        return config;
    }

    private static ObjectNode specialTokensMap(ObjectMapper json, Map<String, Integer> specials) {
        ObjectNode map = json.createObjectNode();
        map.put("bos_token", SpecialTokens.BOS);
        map.put("eos_token", SpecialTokens.EOS);
        map.put("pad_token", SpecialTokens.PAD);
        ArrayNode extra = map.putArray("additional_special_tokens");
        specials.keySet().stream().filter(t -> !MAIN_SPECIALS.contains(t)).forEach(extra::add);
        return map;
    }

    private static void addedToken(ObjectNode n, String content) {
        n.put("content", content).put("single_word", false).put("lstrip", false).put("rstrip", false)
                .put("normalized", false).put("special", true);
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
