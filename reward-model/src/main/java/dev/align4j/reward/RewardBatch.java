package dev.align4j.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import java.util.Arrays;
import java.util.List;

/**
 * B preference pairs as one right-padded batch of 2B sequences, chosen rows first: one forward pass
 * scores both sides (half the kernel launches of two passes, and the same padding for both).
 *
 * @param ids (2B, T) {@code prompt + chosen} in rows 0..B-1, {@code prompt + rejected} in rows B..2B-1
 * @param mask (2B, T) 1 on real tokens
 * @param margins (B) per-pair margins, or null when margins are not used
 * @param pairs B
 * @param tokens real tokens in the batch (for throughput)
 */
public record RewardBatch(NDArray ids, NDArray mask, NDArray margins, int pairs, long tokens) {

    /** Collates {@code pairs} onto {@code manager}; {@code useMargin} false drops the data's margins. */
    public static RewardBatch of(List<TokenizedPreference> pairs, int padId, boolean useMargin, NDManager manager) {
        int b = pairs.size();
        int t = 0;
        for (TokenizedPreference p : pairs) {
            t = Math.max(t, p.promptLength() + Math.max(p.chosenLength(), p.rejectedLength()));
        }
        long[] ids = new long[2 * b * t];
        long[] mask = new long[2 * b * t];
        Arrays.fill(ids, padId);
        float[] margins = new float[b];
        long tokens = 0;
        for (int i = 0; i < b; i++) {
            TokenizedPreference p = pairs.get(i);
            tokens += fill(ids, mask, i * t, p.promptIds(), p.chosenIds());
            tokens += fill(ids, mask, (b + i) * t, p.promptIds(), p.rejectedIds());
            margins[i] = p.margin() == null ? 0f : p.margin().floatValue();
        }
        return new RewardBatch(manager.create(ids, new Shape(2L * b, t)), manager.create(mask, new Shape(2L * b, t)),
                useMargin ? manager.create(margins) : null, b, tokens);
    }

    private static int fill(long[] ids, long[] mask, int offset, int[] prompt, int[] reply) {
        for (int i = 0; i < prompt.length; i++) {
            ids[offset + i] = prompt[i];
            mask[offset + i] = 1;
        }
        for (int i = 0; i < reply.length; i++) {
            ids[offset + prompt.length + i] = reply[i];
            mask[offset + prompt.length + i] = 1;
        }
        return prompt.length + reply.length;
    }
}
