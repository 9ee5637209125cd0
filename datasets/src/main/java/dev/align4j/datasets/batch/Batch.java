package dev.align4j.datasets.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A padded batch as plain Java arrays, all (B, T). Trainers convert it with {@link #toNDList}.
 *
 * <p>Packed batches (see {@link Packer}) hold several examples per row: {@code segmentIds} numbers
 * them 1, 2, ... (0 is padding) and {@code positionIds} restart at 0 for each. The model must then
 * attend only within a segment: {@link #blockCausalMask} builds that (B, T, T) mask. Unpacked
 * batches have {@code segmentIds == null} and need only causal masking plus the attention mask.
 *
 * @param inputIds token ids, padding = the tokenizer's pad id
 * @param labels target ids aligned with inputs (the loss shifts by one), -100 where no loss
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param positionIds position of each token within its example
 * @param segmentIds example number within a packed row, 0 for padding; null when not packed
 */
public record Batch(int[][] inputIds, int[][] labels, int[][] attentionMask, int[][] positionIds, int[][] segmentIds) {

    public int batchSize() {
        return inputIds.length;
    }

    public int seqLen() {
        return inputIds.length == 0 ? 0 : inputIds[0].length;
    }

    /** Tokens that carry a loss. */
    public int trainedTokens() {
        int n = 0;
        for (int[] row : labels) {
            for (int l : row) {
                n += l == -100 ? 0 : 1;
            }
        }
        return n;
    }

    /**
     * The batch as int64 arrays on {@code manager}, named {@code input_ids}, {@code labels},
     * {@code attention_mask}, {@code position_ids} and, when packed, {@code segment_ids}; in that order.
     */
    public NDList toNDList(NDManager manager) {
        NDList list = new NDList(
                named(manager, inputIds, "input_ids"), named(manager, labels, "labels"),
                named(manager, attentionMask, "attention_mask"), named(manager, positionIds, "position_ids"));
        if (segmentIds != null) {
            list.add(named(manager, segmentIds, "segment_ids"));
        }
        return list;
    }

    /**
     * (B, T, T) boolean: {@code [b, i, j]} is true where query i may attend to key j, that is
     * {@code j <= i} within the same non-padding segment. For unpacked batches the attention mask
     * plays the role of the segment.
     */
    public boolean[][][] blockCausalMask() {
        int[][] seg = segmentIds != null ? segmentIds : attentionMask;
        int b = batchSize();
        int t = seqLen();
        boolean[][][] mask = new boolean[b][t][t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                if (seg[r][i] == 0) {
                    continue; // padding attends to nothing; the loss ignores it anyway
                }
                for (int j = 0; j <= i; j++) {
                    mask[r][i][j] = seg[r][j] == seg[r][i];
                }
            }
        }
        return mask;
    }

    /** {@link #blockCausalMask()} as a (B, T, T) boolean NDArray. */
    public NDArray blockCausalMask(NDManager manager) {
        boolean[][][] m = blockCausalMask();
        int b = batchSize();
        int t = seqLen();
        boolean[] flat = new boolean[b * t * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                System.arraycopy(m[r][i], 0, flat, (r * t + i) * t, t);
            }
        }
        return manager.create(flat, new Shape(b, t, t));
    }

    private static NDArray named(NDManager manager, int[][] rows, String name) {
        int b = rows.length;
        int t = b == 0 ? 0 : rows[0].length;
        long[] flat = new long[b * t];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                flat[r * t + i] = rows[r][i];
            }
        }
        NDArray a = manager.create(flat, new Shape(b, t));
        a.setName(name);
        return a;
    }
}
