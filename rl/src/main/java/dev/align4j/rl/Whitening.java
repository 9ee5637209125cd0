package dev.align4j.rl;

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
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int i = 0; i < x.length; i++) {
            for (int s = 0; s < Math.min(lengths[i], x[i].length); s++) {
                sum += x[i][s];
                sq += (double) x[i][s] * x[i][s];
                n++;
            }
        }
        if (n < 2) {
            return x;
        }
        double mean = sum / n;
        double var = (sq - n * mean * mean) / (n - 1);
        double inv = 1 / Math.sqrt(Math.max(var, 0) + 1e-8);
        for (int i = 0; i < x.length; i++) {
            for (int s = 0; s < Math.min(lengths[i], x[i].length); s++) {
                x[i][s] = (float) ((x[i][s] - mean) * inv + (shiftMean ? 0 : mean));
            }
        }
        return x;
    }
}
