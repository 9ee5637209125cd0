package dev.align4j.ppo;

/**
 * Generalised advantage estimation (Schulman et al. 2016) over response tokens, on the host: the
 * arrays are small (B x new tokens) and the recursion is sequential.
 *
 * <p>delta_t = r_t + gamma V_{t+1} - V_t; A_t = delta_t + gamma lambda A_{t+1}; returns = A + V.
 * Positions at or beyond a row's length are ignored and get 0; V past the last token is 0.
 */
public final class Gae {

    private Gae() {}

    /** Advantages (B, T) and returns (B, T). */
    public record Result(float[][] advantages, float[][] returns) {}

    public static Result compute(float[][] rewards, float[][] values, int[] lengths, double gamma,
            double lambda) {
        int b = rewards.length;
        float[][] adv = new float[b][];
        float[][] ret = new float[b][];
        for (int i = 0; i < b; i++) {
            int t = rewards[i].length;
            adv[i] = new float[t];
            ret[i] = new float[t];
            double next = 0;
            double nextValue = 0;
            for (int s = Math.min(lengths[i], t) - 1; s >= 0; s--) {
                double delta = rewards[i][s] + gamma * nextValue - values[i][s];
                next = delta + gamma * lambda * next;
                adv[i][s] = (float) next;
                ret[i][s] = (float) (next + values[i][s]);
                nextValue = values[i][s];
            }
        }
        return new Result(adv, ret);
    }

    /** Normalises the valid entries to mean 0, std 1 (whitening), in place; returns the input. */
    public static float[][] whiten(float[][] x, int[] lengths) {
        return whiten(x, lengths, true);
    }

    /**
     * TRL's {@code masked_whiten}: the valid entries (the first {@code lengths[i]} of row i) become
     * {@code (x - mean) / std}, plus the mean again when {@code shiftMean} is false (unit std,
     * mean kept: how whiten_rewards treats rewards). In place; returns the input.
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
