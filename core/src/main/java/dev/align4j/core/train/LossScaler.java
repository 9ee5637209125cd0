package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;

import java.util.Collection;

/**
 * Dynamic loss scaling for fp16 mixed precision, with {@code torch.amp.GradScaler}'s rule: the
 * loss is multiplied by {@link #scale()} before the backward so that small activation gradients
 * survive float16; the float32 parameter gradients are divided by it again before clipping. A step
 * whose gradients hold an inf or NaN (an fp16 overflow) is skipped and the scale is multiplied by
 * {@code backoff}; after {@code growthInterval} finite steps in a row it is multiplied by
 * {@code growth}.
 *
 * <p>State (scale, finite steps in a row, steps skipped) is saved in checkpoints so a resumed run
 * continues with the same scale.
 */
public final class LossScaler {

    /** torch GradScaler defaults. */
    public static final double GROWTH = 2.0;
    public static final double BACKOFF = 0.5;
    public static final int GROWTH_INTERVAL = 2000;

    private final double growth;
    private final double backoff;
    private final int growthInterval;
    private double scale;
    private int goodSteps;
    private long skipped;

    public LossScaler(double initialScale) {
        this(initialScale, GROWTH, BACKOFF, GROWTH_INTERVAL);
    }

    public LossScaler(double initialScale, double growth, double backoff, int growthInterval) {
        if (!(initialScale > 0) || !(growth > 1) || !(backoff > 0 && backoff < 1) || growthInterval < 1) {
            throw new IllegalArgumentException("bad loss scaler settings: scale " + initialScale + ", growth "
                    + growth + ", backoff " + backoff + ", interval " + growthInterval);
        }
        this.growth = growth;
        this.backoff = backoff;
        this.growthInterval = growthInterval;
        this.scale = initialScale;
    }

    /** The factor the loss is multiplied by before the backward. */
    public double scale() {
        return scale;
    }

    /** Steps skipped so far because of non-finite gradients. */
    public long skipped() {
        return skipped;
    }

    /** Finite steps since the last change of scale. */
    public int goodSteps() {
        return goodSteps;
    }

    /** Divides every gradient by the scale, in place (call inside an NDScope). */
    public void unscale(Collection<NDArray> grads) {
        float inv = (float) (1.0 / scale);
        for (NDArray g : grads) {
            g.muli(inv);
        }
    }

    /**
     * Records the outcome of a step and adapts the scale.
     *
     * @param finite whether every unscaled gradient was finite (the step was taken)
     * @return {@code finite}
     */
    public boolean update(boolean finite) {
        if (!finite) {
            scale *= backoff;
            goodSteps = 0;
            skipped++;
            return false;
        }
        if (++goodSteps >= growthInterval) {
            scale *= growth;
            goodSteps = 0;
        }
        return true;
    }

    /** Restores state read from a checkpoint. */
    public void restore(double scale, int goodSteps, long skipped) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("loss scale must be finite and > 0, got " + scale);
        }
        this.scale = scale;
        this.goodSteps = goodSteps;
        this.skipped = skipped;
    }
}
