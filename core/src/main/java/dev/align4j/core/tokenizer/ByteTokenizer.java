package dev.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * UTF-8 bytes as tokens: ids 0..255 are byte values, then the specials of {@link SpecialTokens}
 * (256 {@code <|bos|>}, 257 {@code <|eos|>}, 258 {@code <|pad|>}, 259 {@code <|im_start|>},
 * 260 {@code <|im_end|>}). Needs no training and never meets an unknown character, at the price of
 * long sequences; the right choice for tiny models and tests.
 */
public final class ByteTokenizer implements Tokenizer {

    /** The marker file {@link Tokenizers#load} looks for. */
    public static final String MARKER_FILE = "align4j_tokenizer.json";

    private final Map<String, Integer> specials = new LinkedHashMap<>();

    public ByteTokenizer() {
        for (String s : SpecialTokens.DEFAULTS) {
            specials.put(s, 256 + specials.size());
        }
    }

    @Override
    public int[] encode(String text) {
        IntBuf out = new IntBuf(text.length() + 8);
        SpecialTokens.split(text, specials, new SpecialTokens.Sink() {
            @Override
            public void text(String piece) {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                    out.add(b & 0xFF);
                }
            }

            @Override
            public void special(int id) {
                out.add(id);
            }
        });
        return out.toArray();
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id >= 0 && id < 256) {
                bytes.write(id);
            }
        }
        // invalid UTF-8 (a cut multi-byte character) becomes U+FFFD, as in Hugging Face decoders
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return 256 + specials.size();
    }

    @Override
    public int bosId() {
        return specials.get(SpecialTokens.BOS);
    }

    @Override
    public int eosId() {
        return specials.get(SpecialTokens.EOS);
    }

    @Override
    public int padId() {
        return specials.get(SpecialTokens.PAD);
    }

    @Override
    public List<Integer> specialIds() {
        return IntStream.range(256, vocabSize()).boxed().toList();
    }

    @Override
    public Optional<String> specialToken(int id) {
        return id >= 256 && id < vocabSize() ? Optional.of(SpecialTokens.DEFAULTS.get(id - 256)) : Optional.empty();
    }

    /**
     * Writes the align4j marker and the same tokenizer in Hugging Face form: {@code tokenizer.json}
     * as a byte-level BPE model whose vocabulary is the 256 byte tokens (id = byte value) and the
     * specials, with no merges, so {@code tokenizers} and transformers give the same ids; plus
     * {@code tokenizer_config.json} and {@code special_tokens_map.json}.
     */
    @Override
    public void save(Path dir) {
        String[] tokens = new String[vocabSize()];
        for (int b = 0; b < 256; b++) {
            tokens[b] = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
        }
        specials.forEach((tok, id) -> tokens[id] = tok);
        TokenizerJson.writeByteLevelBpe(dir, tokens, List.of(), specials, "byte");
    }

    /** Checks a marker file written by {@link #save}; the byte tokenizer has no other state. */
    static ByteTokenizer load(Path dir, ObjectNode marker) {
        if (!SpecialTokens.DEFAULTS.toString().equals(String.valueOf(
                Json.mapper().convertValue(marker.get("special_tokens"), List.class)))) {
            throw UserInputException.at(dir.resolve(MARKER_FILE), 0, "special_tokens",
                    "expected " + SpecialTokens.DEFAULTS + " for a byte tokenizer");
        }
        return new ByteTokenizer();
    }
}
