package dev.align4j.datasets.tokenize;

import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.SftExample;
import dev.align4j.datasets.template.ChatTemplate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Tokenizes SFT conversations into input ids and labels. Each template segment is encoded on its
 * own, so the boundary between masked prompt and trained reply is exact (a BPE merge never spans it);
 * only assistant replies (+ EOS) carry labels unless {@code trainOnInputs}. A sequence longer than
 * {@code cutoffLen} is cut on the configured side; one that would keep none of its reply is dropped
 * and counted.
 */
public final class SftEncoder {

    /**
     * @param cutoffLen longest sequence kept, in tokens
     * @param truncation which end to cut
     * @param trainOnInputs true: every token but padding carries a label (prompt included)
     */
    public record Config(int cutoffLen, TruncationSide truncation, boolean trainOnInputs) {
        public Config {
            if (cutoffLen < 2) {
                throw new IllegalArgumentException("cutoff_len " + cutoffLen + " must be at least 2");
            }
            truncation = truncation == null ? TruncationSide.RIGHT : truncation;
        }
    }

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Config config;
    private int encoded;
    private int truncated;
    private int dropped;

    public SftEncoder(Tokenizer tokenizer, ChatTemplate template, Config config) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.config = config;
    }

    /** The full sequence without truncation, and which tokens belong to replies. */
    public record Full(int[] ids, boolean[] response) {
    }

    /** Tokenizes {@code ex} without cutting it; used by {@link #encode} and by reports. */
    public Full full(SftExample ex) {
        List<int[]> parts = new ArrayList<>();
        List<Boolean> trained = new ArrayList<>();
        if (template.bos()) {
            parts.add(new int[] {tokenizer.bosId()});
            trained.add(false);
        }
        for (ChatTemplate.Segment s : template.render(ex.messages())) {
            int[] ids = tokenizer.encode(s.text());
            if (s.endsTurn()) {
                ids = Arrays.copyOf(ids, ids.length + 1);
                ids[ids.length - 1] = tokenizer.eosId(); // EOS ends every reply, so generation learns to stop
            }
            parts.add(ids);
            trained.add(s.trained());
        }
        int n = parts.stream().mapToInt(p -> p.length).sum();
        int[] ids = new int[n];
        boolean[] response = new boolean[n];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i), 0, ids, at, parts.get(i).length);
            Arrays.fill(response, at, at + parts.get(i).length, trained.get(i));
            at += parts.get(i).length;
        }
        return new Full(ids, response);
    }

    /** The tokenized example, or empty when truncation would remove its whole reply. */
    public Optional<TokenizedExample> encode(SftExample ex) {
        Full f = full(ex);
        int[] ids = f.ids();
        boolean[] resp = f.response();
        if (ids.length > config.cutoffLen()) {
            truncated++;
            int[] keep = keptPositions(ids.length);
            int[] cutIds = new int[keep.length];
            boolean[] cutResp = new boolean[keep.length];
            for (int i = 0; i < keep.length; i++) {
                cutIds[i] = ids[keep[i]];
                cutResp[i] = resp[keep[i]];
            }
            ids = cutIds;
            resp = cutResp;
        }
        boolean anyResponse = false;
        for (boolean r : resp) {
            anyResponse |= r;
        }
        if (!anyResponse) {
            dropped++;
            return Optional.empty();
        }
        int[] labels = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            labels[i] = resp[i] || config.trainOnInputs() ? ids[i] : TokenizedExample.IGNORE;
        }
        encoded++;
        return Optional.of(new TokenizedExample(ex.source(), ids, labels));
    }

    /** Indices kept from a sequence of {@code n} tokens: the first or last cutoffLen (BOS stays first). */
    private int[] keptPositions(int n) {
        int c = config.cutoffLen();
        if (config.truncation() == TruncationSide.RIGHT) {
            return java.util.stream.IntStream.range(0, c).toArray();
        }
        int skip = template.bos() ? 1 : 0;
        int[] keep = new int[c];
        for (int i = 0; i < skip; i++) {
            keep[i] = i;
        }
        for (int i = skip; i < c; i++) {
            keep[i] = n - c + i;
        }
        return keep;
    }

    /** Encodes every example, dropping those whose reply would be cut away. */
    public List<TokenizedExample> encodeAll(List<SftExample> examples) {
        List<TokenizedExample> out = new ArrayList<>(examples.size());
        for (SftExample ex : examples) {
            encode(ex).ifPresent(out::add);
        }
        return out;
    }

    /** Examples encoded (kept) so far. */
    public int encodedCount() {
        return encoded;
    }

    /** Examples longer than cutoffLen so far (kept or dropped). */
    public int truncatedCount() {
        return truncated;
    }

    /** Examples dropped because no reply token survived truncation. */
    public int droppedCount() {
        return dropped;
    }
}
