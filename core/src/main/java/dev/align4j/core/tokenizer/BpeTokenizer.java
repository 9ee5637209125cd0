package dev.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE in pure Java, encoding exactly like the Hugging Face {@code tokenizer.json} that
 * {@link #save} writes (and that DJL's {@code HuggingFaceTokenizer} loads): text is split on special
 * tokens, pre-tokenized with GPT-2's regex, mapped byte by byte to stand-in characters, then merged
 * pair by pair, lowest merge rank first.
 *
 * <p>Ids made by {@link BpeTrainer}: 0..255 the bytes, then the merged tokens in the order they were
 * learned, then the specials of {@link SpecialTokens}. {@link #load} also accepts other byte-level BPE files whose
 * ids are laid out differently.
 */
public final class BpeTokenizer implements Tokenizer {

    /** A merge: the pair (left, right) becomes {@code merged}; lower rank merges first. */
    record Merge(int rank, int merged) {
    }

    private static final int CACHE_LIMIT = 200_000;

    private final int[] byteToId;
    private final Map<Long, Merge> merges;
    private final byte[][] idToBytes;
    private final String[] idToToken;
    private final Map<String, Integer> specials;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(int[] byteToId, Map<Long, Merge> merges, String[] idToToken, Map<String, Integer> specials) {
        this.byteToId = byteToId;
        this.merges = merges;
        this.idToToken = idToToken;
        this.specials = specials;
        this.idToBytes = new byte[idToToken.length][];
        for (int id = 0; id < idToToken.length; id++) {
            if (idToToken[id] != null && !specials.containsKey(idToToken[id])) {
                idToBytes[id] = ByteLevel.fromByteChars(idToToken[id]);
            }
        }
        for (String required : List.of(SpecialTokens.BOS, SpecialTokens.EOS, SpecialTokens.PAD)) {
            if (!specials.containsKey(required)) {
                throw new IllegalArgumentException("missing special token " + required);
            }
        }
    }

    /**
     * The tokenizer of {@code mergePairs} (each {left id, right id, merged id}, in rank order) over
     * the 256 byte ids; merged ids are below {@code tokenCount}, specials follow it.
     */
    static BpeTokenizer fromMerges(int tokenCount, List<int[]> mergePairs, List<String> specialTokens) {
        int n = tokenCount + specialTokens.size();
        String[] tokens = new String[n];
        int[] byteToId = new int[256];
        for (int b = 0; b < 256; b++) {
            byteToId[b] = b;
            tokens[b] = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
        }
        Map<Long, Merge> merges = new HashMap<>();
        for (int r = 0; r < mergePairs.size(); r++) {
            int[] p = mergePairs.get(r);
            tokens[p[2]] = tokens[p[0]] + tokens[p[1]];
            merges.put(key(p[0], p[1]), new Merge(r, p[2]));
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (String s : specialTokens) {
            int id = tokenCount + specials.size();
            specials.put(s, id);
            tokens[id] = s;
        }
        return new BpeTokenizer(byteToId, merges, tokens, specials);
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    @Override
    public int[] encode(String text) {
        IntBuf out = new IntBuf(text.length() / 3 + 8);
        SpecialTokens.split(text, specials, new SpecialTokens.Sink() {
            @Override
            public void text(String piece) {
                for (String word : ByteLevel.preTokenize(piece)) {
                    out.addAll(encodeWord(word));
                }
            }

            @Override
            public void special(int id) {
                out.add(id);
            }
        });
        return out.toArray();
    }

    /** BPE on one pre-token: start from its bytes, apply the lowest-ranked merge everywhere, repeat. */
    private int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] syms = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            syms[i] = byteToId[bytes[i] & 0xFF];
        }
        int n = syms.length;
        while (n > 1) {
            Merge best = null;
            for (int i = 0; i + 1 < n; i++) {
                Merge m = merges.get(key(syms[i], syms[i + 1]));
                if (m != null && (best == null || m.rank() < best.rank())) {
                    best = m;
                }
            }
            if (best == null) {
                break;
            }
            // merge every occurrence left to right; the same result as Hugging Face's rank queue,
            // because a merge that uses a token always ranks after the merge that made it
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && merges.get(key(syms[i], syms[i + 1])) == best) {
                    syms[w++] = best.merged();
                    i++;
                } else {
                    syms[w++] = syms[i];
                }
            }
            n = w;
        }
        int[] result = java.util.Arrays.copyOf(syms, n);
        if (cache.size() < CACHE_LIMIT) {
            cache.put(word, result);
        }
        return result;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id >= 0 && id < idToBytes.length && idToBytes[id] != null) {
                bytes.writeBytes(idToBytes[id]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return idToToken.length;
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
        return List.copyOf(specials.values());
    }

    @Override
    public Optional<String> specialToken(int id) {
        return id >= 0 && id < idToToken.length && specials.containsKey(idToToken[id])
                ? Optional.of(idToToken[id]) : Optional.empty();
    }

    /** Number of merges. */
    public int mergeCount() {
        return merges.size();
    }

    /**
     * Writes {@code tokenizer.json}, {@code tokenizer_config.json}, {@code special_tokens_map.json}
     * (the Hugging Face files) and the align4j marker.
     */
    @Override
    public void save(Path dir) {
        List<String[]> mergeList = new ArrayList<>(merges.size());
        merges.entrySet().stream()
                .sorted(Map.Entry.comparingByValue((a, b) -> Integer.compare(a.rank(), b.rank())))
                .forEach(e -> mergeList.add(new String[] {
                    idToToken[(int) (e.getKey() >>> 32)], idToToken[(int) (long) e.getKey()]}));
        TokenizerJson.writeByteLevelBpe(dir, idToToken, mergeList, specials, "bpe");
    }

    /** Reads a byte-level BPE {@code tokenizer.json} (ours or another with the same pipeline). */
    public static BpeTokenizer load(Path dir) {
        Path file = dir.resolve(TokenizerJson.FILE);
        JsonNode root;
        try {
            root = Json.mapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw TextFiles.readError(file, e);
        }
        TokenizerJson.requireByteLevelBpe(file, root);
        Map<String, Integer> vocab = new HashMap<>();
        int maxId = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("model").path("vocab").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
            maxId = Math.max(maxId, e.getValue().asInt());
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            specials.put(t.path("content").asText(), t.path("id").asInt());
            maxId = Math.max(maxId, t.path("id").asInt());
        }
        String[] tokens = new String[maxId + 1];
        vocab.forEach((tok, id) -> tokens[id] = tok);
        specials.forEach((tok, id) -> tokens[id] = tok);
        int[] byteToId = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
            if (id == null) {
                throw UserInputException.at(file, 0, "model.vocab", "byte " + b + " has no token");
            }
            byteToId[b] = id;
        }
        Map<Long, Merge> merges = new HashMap<>();
        int rank = 0;
        for (JsonNode m : root.path("model").path("merges")) {
            // two layouts exist: "a b" strings (tokenizers < 0.20) and ["a", "b"] pairs
            String left = m.isArray() ? m.get(0).asText() : m.asText().substring(0, m.asText().indexOf(' '));
            String right = m.isArray() ? m.get(1).asText() : m.asText().substring(m.asText().indexOf(' ') + 1);
            Integer l = vocab.get(left);
            Integer r = vocab.get(right);
            Integer merged = vocab.get(left + right);
            if (l == null || r == null || merged == null) {
                throw UserInputException.at(file, 0, "model.merges", "merge " + m + " uses tokens not in the vocab");
            }
            merges.putIfAbsent(key(l, r), new Merge(rank++, merged));
        }
        return new BpeTokenizer(byteToId, merges, tokens, specials);
    }
}
