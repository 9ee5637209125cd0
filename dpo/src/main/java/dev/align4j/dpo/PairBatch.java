package dev.align4j.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import java.util.Arrays;
import java.util.List;

/**
 * B preference pairs as one right-padded batch of 2B sequences: rows 0..B-1 are
 * {@code prompt + chosen}, rows B..2B-1 {@code prompt + rejected}, so the policy scores both with a
 * single forward. Right padding keeps positions 0..n-1 per row, and under the causal mask a real
 * token never sees a pad, so no attention mask is needed.
 *
 * @param indices the pairs' positions in {@link DpoData#pairs()} (B), keying the reference cache
 * @param ids (2B, T) token ids
 * @param targets (2B, T-1) ids shifted left: position t predicts {@code ids[t+1]}
 * @param responseMask (2B, T-1) 1 where the target is a reply token (not prompt, not padding)
 * @param labels (B) KTO labels, 1 desirable, 0 undesirable (from the pair's margin sign)
 * @param tokens reply tokens in the batch (for tokens_per_s)
 */
public record PairBatch(int[] indices, NDArray ids, NDArray targets, NDArray responseMask, NDArray labels,
        long tokens) {

    public int pairs() {
        return indices.length;
    }

    /** Collates {@code indices} of {@code pairs} on {@code manager}. */
    public static PairBatch of(List<TokenizedPreference> pairs, int[] indices, int padId, NDManager manager) {
        int b = indices.length;
        int longest = 0;
        for (int i : indices) {
            TokenizedPreference p = pairs.get(i);
            longest = Math.max(longest, p.promptLength() + Math.max(p.chosenLength(), p.rejectedLength()));
        }
        int t = longest;
        long[] ids = new long[2 * b * t];
        long[] targets = new long[2 * b * (t - 1)];
        float[] mask = new float[2 * b * (t - 1)];
        float[] labels = new float[b];
        long tokens = 0;
        Arrays.fill(ids, padId);
        Arrays.fill(targets, padId);
        for (int k = 0; k < b; k++) {
            TokenizedPreference p = pairs.get(indices[k]);
            labels[k] = p.margin() != null && p.margin() > 0 ? 1f : 0f;
            for (int side = 0; side < 2; side++) {
                int row = side * b + k;
                int[] reply = side == 0 ? p.chosenIds() : p.rejectedIds();
                int n = p.promptLength() + reply.length;
                for (int j = 0; j < n; j++) {
                    ids[row * t + j] = j < p.promptLength() ? p.promptIds()[j] : reply[j - p.promptLength()];
                }
                for (int j = 0; j + 1 < n; j++) {
                    targets[row * (t - 1) + j] = ids[row * t + j + 1];
                    // the logits at position j predict token j+1; score it when it belongs to the reply
                    mask[row * (t - 1) + j] = j + 1 >= p.promptLength() ? 1f : 0f;
                }
                tokens += reply.length;
            }
        }
        return new PairBatch(indices.clone(), manager.create(ids, new Shape(2L * b, t)),
                manager.create(targets, new Shape(2L * b, t - 1)), manager.create(mask, new Shape(2L * b, t - 1)),
                manager.create(labels, new Shape(b)), tokens);
    }
}
