package dev.align4j.ppo;

/**
 * The KL penalty coefficient beta. Fixed, or adaptive as in Ziegler et al. 2019 ("Fine-Tuning
 * Language Models from Human Preferences", section 2.2) and TRL's {@code AdaptiveKLController}:
 * after each iteration, with e = clip(KL / target - 1, -0.2, 0.2) and n the episodes just sampled,
 * beta *= 1 + e * n / horizon.
 */
public final class KlController {

    private final Double target;
    private final double horizon;
    private double value;

    /** @param target KL per sequence to aim for, or null to keep {@code initial} fixed */
    public KlController(double initial, Double target, double horizon) {
        this.value = initial;
        this.target = target;
        this.horizon = horizon;
    }

    public static KlController of(PpoConfig cfg) {
        return new KlController(cfg.klCoef(), cfg.klTarget(), cfg.klHorizon());
    }

    /** The coefficient for the next iteration's rewards. */
    public double value() {
        return value;
    }

    /** Restores the coefficient from a checkpoint. */
    public void set(double v) {
        value = v;
    }

    /**
     * @param kl mean per-sequence KL (sum over response tokens of logp - ref_logp) of the iteration
     * @param episodes sequences sampled in it
     */
    public void update(double kl, int episodes) {
        if (target == null) {
            return;
        }
        double error = Math.max(-0.2, Math.min(0.2, kl / target - 1));
        value *= 1 + error * episodes / horizon;
    }
}
