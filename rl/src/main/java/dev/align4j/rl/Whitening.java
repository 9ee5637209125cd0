package dev.align4j.rl;

import dev.align4j.core.stats.Stats;

/** TRL's {@code masked_whiten} over the valid entries of ragged (B, T) host arrays. */
public final class Whitening {

    private Whitening() {}

    /** Normalises the valid entries to mean 0, std 1 (whitening), in place; returns the input. */
    public static float[][] whiten(float[][] x, int[] lengths) {
        return whiten(x, lengths, true);
    }

    /**
     * The valid entries (the first {@code lengths[i]} of row i) become {@code (x - mean) / std}, plus
     * the mean again when {@code shiftMean} is false (unit std, mean kept: how whiten_rewards treats
     * rewards). Sample std (n - 1), epsilon 1e-8 as TRL. In place; returns the input.
     */
    public static float[][] whiten(float[][] x, int[] lengths, boolean shiftMean) {
        double[] valid = Stats.validEntries(x, lengths);
        if (valid.length < 2) {
            return x;
        }
        double mean = Stats.mean(valid);
        double std = Stats.sampleStd(valid);
        double inv = 1 / Math.sqrt(std * std + 1e-8);
        for (int i = 0; i < x.length; i++) {
            for (int s = 0; s < Math.min(lengths[i], x[i].length); s++) {
                x[i][s] = (float) ((x[i][s] - mean) * inv + (shiftMean ? 0 : mean));
            }
        }
        return x;
    }
}
