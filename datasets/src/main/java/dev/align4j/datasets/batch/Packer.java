package dev.align4j.datasets.batch;

import dev.align4j.datasets.tokenize.TokenizedExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packs short SFT examples into rows of exactly {@code seqLen} tokens (the last row padded), in
 * order, starting a new row when the next example does not fit. Each example keeps its own
 * positions (restarting at 0) and a segment id; the model must mask attention block-diagonally
 * ({@link Batch#blockCausalMask}) or examples would see each other.
 *
 * <p>The first token of every packed example gets label -100: in a causal LM it would be predicted
 * from the previous example's last token, which is exactly the leak packing must avoid. Unpacked,
 * the first label is never used by the shifted loss either, so packing does not change the loss.
 */
public final class Packer {

    private Packer() {
    }

    /** Rows of packed examples; each example must be at most {@code seqLen} long. */
    public static List<Batch> pack(List<TokenizedExample> examples, int seqLen, int rowsPerBatch, int padId) {
        List<List<TokenizedExample>> rows = new ArrayList<>();
        List<TokenizedExample> row = new ArrayList<>();
        int used = 0;
        for (TokenizedExample ex : examples) {
            if (ex.length() > seqLen) {
                throw new IllegalArgumentException(ex.source() + ": " + ex.length() + " tokens do not fit seq_len "
                        + seqLen + "; tokenize with cutoff_len <= seq_len");
            }
            if (used + ex.length() > seqLen) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(ex);
            used += ex.length();
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        List<Batch> batches = new ArrayList<>();
        for (int s = 0; s < rows.size(); s += rowsPerBatch) {
            batches.add(toBatch(rows.subList(s, Math.min(rows.size(), s + rowsPerBatch)), seqLen, padId));
        }
        return batches;
    }

    private static Batch toBatch(List<List<TokenizedExample>> rows, int seqLen, int padId) {
        int b = rows.size();
        int[][] ids = new int[b][seqLen];
        int[][] labels = new int[b][seqLen];
        int[][] mask = new int[b][seqLen];
        int[][] pos = new int[b][seqLen];
        int[][] seg = new int[b][seqLen];
        for (int r = 0; r < b; r++) {
            Arrays.fill(ids[r], padId);
            Arrays.fill(labels[r], TokenizedExample.IGNORE);
            int at = 0;
            int segment = 1;
            for (TokenizedExample ex : rows.get(r)) {
                int n = ex.length();
                System.arraycopy(ex.inputIds(), 0, ids[r], at, n);
                System.arraycopy(ex.labels(), 0, labels[r], at, n);
                labels[r][at] = TokenizedExample.IGNORE;
                for (int i = 0; i < n; i++) {
                    mask[r][at + i] = 1;
                    pos[r][at + i] = i;
                    seg[r][at + i] = segment;
                }
                at += n;
                segment++;
            }
        }
        return new Batch(ids, labels, mask, pos, seg);
    }
}
