package dev.align4j.rl;

/**
 * Advantage estimators as pure functions, picked by name from a config (verl's registry, in Java an
 * enum whose constants carry the function): a trainer calls {@link #estimate} and never branches on
 * the algorithm. GAE now; group-relative (GRPO) and leave-one-out (RLOO) come next as constants
 * that read {@link Input#scores} and a group size.
 */
public enum AdvantageEstimator {
    /** Generalised advantage estimation over per-token rewards and critic values ({@link Gae}). */
    GAE {
        @Override
        public Advantages estimate(Input in) {
            Gae.Result g = Gae.compute(in.rewards(), in.values(), in.lengths(), in.gamma(), in.lambda());
            return new Advantages(g.advantages(), g.returns());
        }
    };

    /**
     * What an estimator may read; ragged (B, T) host arrays valid to {@code lengths[i]}.
     *
     * @param rewards per-token rewards (B, T)
     * @param values critic values (B, T), null for critic-free estimators
     * @param scores sequence scores (B), for group-relative estimators
     * @param lengths valid tokens per row
     * @param gamma discount
     * @param lambda GAE's lambda
     */
    public record Input(float[][] rewards, float[][] values, float[] scores, int[] lengths, double gamma,
            double lambda) {
    }

    /** Advantages (B, T) and, when a critic is trained, its regression targets (B, T; else null). */
    public record Advantages(float[][] advantages, float[][] returns) {
    }

    public abstract Advantages estimate(Input in);
}
