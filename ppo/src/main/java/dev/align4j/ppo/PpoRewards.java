package dev.align4j.ppo;

/**
 * Per-token rewards of a rollout batch, on the host (B x R, R = longest response):
 *
 * <pre>
 *   r_t = -beta (logp_t - ref_logp_t)            for every response token t < length
 *   r_{length-1} += score                         the sequence score at the last real token
 * </pre>
 *
 * the k1 KL penalty to the reference plus the reward model's score (Ziegler et al. 2019; TRL
 * PPOTrainer). Positions at or past a row's length are 0.
 */
public final class PpoRewards {

    private PpoRewards() {}

    /**
     * @param logp (B, R) rollout log-probs of the sampled tokens under the policy
     * @param refLogp (B, R) the same tokens under the reference
     * @param scores (B) sequence scores (already normalised / penalised)
     * @param lengths (B) response lengths, each in [1, R]
     * @param klCoef beta
     * @return (B, R) rewards
     */
    public static float[][] perToken(float[][] logp, float[][] refLogp, float[] scores, int[] lengths,
            double klCoef) {
        int b = logp.length;
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = new float[logp[i].length];
            for (int t = 0; t < lengths[i]; t++) {
                out[i][t] = (float) (-klCoef * (logp[i][t] - refLogp[i][t]));
            }
            if (lengths[i] > 0) {
                out[i][lengths[i] - 1] += scores[i];
            }
        }
        return out;
    }

    /** Per-row sum over valid tokens of logp - ref_logp (the k1 KL of each sequence; rl's KlEstimator.K1). */
    public static double[] sequenceKl(float[][] logp, float[][] refLogp, int[] lengths) {
        return dev.align4j.rl.KlEstimator.K1.perSequence(logp, refLogp, lengths);
    }
}
