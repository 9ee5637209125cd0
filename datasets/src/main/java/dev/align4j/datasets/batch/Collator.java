package dev.align4j.datasets.batch;

import dev.align4j.datasets.tokenize.TokenizedExample;
import java.util.Arrays;
import java.util.List;

/** Pads tokenized examples into a {@link Batch}. */
public final class Collator {

    /** Where padding goes: right for training (positions stay 0..n-1), left for batched generation. */
    public enum Padding { RIGHT, LEFT }

    private Collator() {
    }

    /** Pads {@code examples} to the longest one (or a multiple of {@code padToMultipleOf} above it). */
    public static Batch pad(List<TokenizedExample> examples, int padId, Padding side, int padToMultipleOf) {
        int longest = examples.stream().mapToInt(TokenizedExample::length).max().orElse(0);
        int m = Math.max(1, padToMultipleOf);
        int t = (longest + m - 1) / m * m;
        int b = examples.size();
        int[][] ids = new int[b][t];
        int[][] labels = new int[b][t];
        int[][] mask = new int[b][t];
        int[][] pos = new int[b][t];
        for (int r = 0; r < b; r++) {
            TokenizedExample ex = examples.get(r);
            int n = ex.length();
            int off = side == Padding.RIGHT ? 0 : t - n;
            Arrays.fill(ids[r], padId);
            Arrays.fill(labels[r], TokenizedExample.IGNORE);
            System.arraycopy(ex.inputIds(), 0, ids[r], off, n);
            System.arraycopy(ex.labels(), 0, labels[r], off, n);
            for (int i = 0; i < n; i++) {
                mask[r][off + i] = 1;
                pos[r][off + i] = i;
            }
        }
        return new Batch(ids, labels, mask, pos, null);
    }

    public static Batch pad(List<TokenizedExample> examples, int padId) {
        return pad(examples, padId, Padding.RIGHT, 1);
    }

    /** Left-padded prompts for generation: labels are all -100. */
    public static Batch padPrompts(List<int[]> prompts, int padId) {
        List<TokenizedExample> xs = prompts.stream().map(p -> {
            int[] labels = new int[p.length];
            Arrays.fill(labels, TokenizedExample.IGNORE);
            return new TokenizedExample(null, p, labels);
        }).toList();
        return pad(xs, padId, Padding.LEFT, 1);
    }
}
