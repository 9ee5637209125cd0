package dev.align4j.core.gen;

/**
 * One generated continuation.
 *
 * @param tokens the new token ids (prompt excluded), including the EOS or stop id that ended it
 * @param logProbs per new token, log p(token | prefix) under the <b>unmodified</b> model at
 *     temperature 1 (raw logits, before repetition penalty, temperature, top-k and top-p). This is
 *     the policy log-probability PPO needs; it equals the log-probability of the distribution the
 *     token was actually drawn from only when sampling with temperature 1 and no filters.
 * @param text decoded text of {@code tokens}, cut before a matched stop string; null when the
 *     generator has no decoder
 * @param finishReason why it ended
 */
public record Generation(int[] tokens, float[] logProbs, String text, FinishReason finishReason) {

    /** Number of generated tokens. */
    public int length() {
        return tokens.length;
    }

    /** Sum of {@link #logProbs()}: log p(continuation | prompt) under the model. */
    public double sumLogProb() {
        double s = 0;
        for (float lp : logProbs) {
            s += lp;
        }
        return s;
    }
}
