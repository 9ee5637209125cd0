package dev.align4j.rl;

/**
 * Generalised advantage estimation (Schulman et al. 2016) over response tokens, on the host: the
 * arrays are small (B x new tokens) and the recursion is sequential.
 *
 * <p>delta_t = r_t + gamma V_{t+1} - V_t; A_t = delta_t + gamma lambda A_{t+1}; returns = A + V.
 * Positions at or beyond a row's length are ignored and get 0; V past the last token is 0.
 * {@link AdvantageEstimator#GAE} calls it.
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
}
