package dev.align4j.rl;

import ai.djl.ndarray.NDArray;
import dev.align4j.core.math.Ops;

/**
 * Per-token estimators of KL(policy || reference) from the log-probs of sampled tokens (Schulman
 * 2020, "Approximating KL divergence"), with log r = ref - logp:
 *
 * <ul>
 *   <li>{@link #K1}: logp - ref = -log r; unbiased, can be negative (PPO's reward penalty);</li>
 *   <li>{@link #K2}: (log r)^2 / 2; biased, low variance, always >= 0;</li>
 *   <li>{@link #K3}: (r - 1) - log r; unbiased and always >= 0 (GRPO's loss term).</li>
 * </ul>
 */
public enum KlEstimator {
    K1 {
        @Override
        public NDArray of(NDArray logp, NDArray ref) {
            return logp.sub(ref);
        }

        @Override
        public double of(double logp, double ref) {
            return logp - ref;
        }
    },
    K2 {
        @Override
        public NDArray of(NDArray logp, NDArray ref) {
            return Ops.mul(ref.sub(logp).square(), 0.5);
        }

        @Override
        public double of(double logp, double ref) {
            double logR = ref - logp;
            return 0.5 * logR * logR;
        }
    },
    K3 {
        @Override
        public NDArray of(NDArray logp, NDArray ref) {
            NDArray logR = ref.sub(logp);
            return logR.exp().sub(1f).sub(logR);
        }

        @Override
        public double of(double logp, double ref) {
            double logR = ref - logp;
            return Math.expm1(logR) - logR;
        }
    };

    /** Per-token estimate, same shape as the inputs. */
    public abstract NDArray of(NDArray logp, NDArray ref);

    /** One token's estimate on the host. */
    public abstract double of(double logp, double ref);

    /** Per-row sum over the first {@code lengths[i]} tokens (a sequence's KL). */
    public double[] perSequence(float[][] logp, float[][] ref, int[] lengths) {
        double[] out = new double[logp.length];
        for (int i = 0; i < logp.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                out[i] += of(logp[i][t], ref[i][t]);
            }
        }
        return out;
    }
}
