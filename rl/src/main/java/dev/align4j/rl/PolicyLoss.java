package dev.align4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The clipped policy objective (Schulman et al. 2017) as pure functions over response tokens, shared
 * by PPO now and GRPO/RLOO next. Inputs are (B, T) with a 0/1 mask (B, T); results are masked means
 * over all valid tokens (scalars).
 */
public final class PolicyLoss {

    private PolicyLoss() {}

    /** Mean of {@code x} over the tokens where {@code mask} is 1 (0 for an all-zero mask). */
    public static NDArray maskedMean(NDArray x, NDArray mask) {
        NDArray m = mask.toType(x.getDataType(), false);
        return x.mul(m).sum().div(m.sum().maximum(1f));
    }

    /**
     * Clipped surrogate: mean of max(-A ratio, -A clip(ratio, 1 - eps, 1 + eps)), ratio =
     * exp(logp - oldLogp).
     */
    public static NDArray clipped(NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask, double clip) {
        NDArray ratio = logp.sub(oldLogp).exp();
        NDArray unclipped = advantages.neg().mul(ratio);
        NDArray clippedTerm = advantages.neg().mul(ratio.clip(1 - clip, 1 + clip));
        return maskedMean(unclipped.maximum(clippedTerm), mask);
    }

    /** Share of tokens whose ratio left [1 - eps, 1 + eps] (reported as clipfrac). */
    public static NDArray clipFraction(NDArray logp, NDArray oldLogp, NDArray mask, double clip) {
        NDArray ratio = logp.sub(oldLogp).exp();
        NDArray out = ratio.sub(1f).abs().gt(clip).toType(DataType.FLOAT32, false);
        return maskedMean(out, mask);
    }
}
