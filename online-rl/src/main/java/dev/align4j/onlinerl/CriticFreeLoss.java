package dev.align4j.onlinerl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.align4j.core.math.Ops;
import dev.align4j.rl.KlEstimator;

/**
 * The critic-free policy loss as pure functions over (b, R) response tokens with a 0/1 mask:
 * per-token clipped surrogate with separate lower and upper clips (DAPO's clip-higher), GRPO's k3
 * KL term, and the {@link LossType} normalisations. Scalars that multiply differentiable arrays go
 * through {@link Ops} (see docs/DESIGN.md on DJL's Number operands).
 */
public final class CriticFreeLoss {

    /**
     * The denominators of a reduction.
     *
     * @param miniRows completions in the optimizer step's mini-batch
     * @param miniTokens their response tokens
     * @param microRows completions in this micro-batch
     * @param maxNewTokens the completion length limit (Dr. GRPO's constant)
     */
    public record Norm(int miniRows, long miniTokens, int microRows, int maxNewTokens) {
    }

    private CriticFreeLoss() {
    }

    /**
     * Per-token max(-A ratio, -A clip(ratio, 1 - low, 1 + high)), ratio = exp(logp - oldLogp);
     * {@code advantages} broadcast over tokens.
     */
    public static NDArray surrogate(NDArray logp, NDArray oldLogp, NDArray advantages, double low, double high) {
        NDArray ratio = logp.sub(oldLogp).exp();
        NDArray unclipped = advantages.neg().mul(ratio);
        NDArray clipped = advantages.neg().mul(ratio.clip(1 - low, 1 + high));
        return unclipped.maximum(clipped);
    }

    /** {@code perToken + beta * k3(logp, ref)} (GRPO's KL to the reference), or perToken when beta is 0. */
    public static NDArray withKl(NDArray perToken, NDArray logp, NDArray ref, double beta) {
        if (beta == 0 || ref == null) {
            return perToken;
        }
        return perToken.add(Ops.mul(KlEstimator.K3.of(logp, ref), beta));
    }

    /** The micro-batch's share of the mini-batch loss under {@code type} (a scalar; summing micro-batches gives the step's loss). */
    public static NDArray reduce(NDArray perToken, NDArray mask, LossType type, Norm n) {
        NDArray m = mask.toType(perToken.getDataType(), false);
        NDArray masked = perToken.mul(m);
        return switch (type) {
            case GRPO -> Ops.div(masked.sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f)).sum(), n.miniRows());
            case DR_GRPO -> Ops.div(masked.sum(), (double) n.miniRows() * n.maxNewTokens());
            case DAPO -> Ops.div(masked.sum(), Math.max(1, n.miniTokens()));
            case BNPO -> Ops.mul(masked.sum().div(m.sum().maximum(1f)), (double) n.microRows() / n.miniRows());
        };
    }

    /**
     * TRL's clip ratios: shares of tokens clipped below (ratio < 1 - low with A < 0) and above
     * (ratio > 1 + high with A > 0).
     *
     * @return {low, high} as masked means over the tokens
     */
    public static double[] clipRatios(NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask, double low,
            double high) {
        NDArray ratio = logp.sub(oldLogp).exp();
        NDArray below = ratio.lt(1 - low).logicalAnd(advantages.lt(0f)).toType(DataType.FLOAT32, false);
        NDArray above = ratio.gt(1 + high).logicalAnd(advantages.gt(0f)).toType(DataType.FLOAT32, false);
        float tokens = Math.max(1f, mask.sum().getFloat());
        return new double[] {below.mul(mask).sum().getFloat() / tokens, above.mul(mask).sum().getFloat() / tokens};
    }
}
