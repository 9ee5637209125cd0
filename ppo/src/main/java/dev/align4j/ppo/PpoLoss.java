package dev.align4j.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.align4j.core.math.Ops;

/**
 * PPO's clipped objectives (Schulman et al. 2017) as pure functions over response tokens. Inputs are
 * (B, T) with a 0/1 mask (B, T); results are masked means over all valid tokens (scalars).
 */
public final class PpoLoss {

    private PpoLoss() {}

    private static NDArray maskedMean(NDArray x, NDArray mask) {
        NDArray m = mask.toType(x.getDataType(), false);
        return x.mul(m).sum().div(m.sum().maximum(1f));
    }

    /**
     * Clipped surrogate: mean of max(-A ratio, -A clip(ratio, 1 - eps, 1 + eps)), ratio =
     * exp(logp - oldLogp).
     */
    public static NDArray policy(NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask,
            double clip) {
        NDArray ratio = logp.sub(oldLogp).exp();
        NDArray unclipped = advantages.neg().mul(ratio);
        NDArray clipped = advantages.neg().mul(ratio.clip(1 - clip, 1 + clip));
        return maskedMean(unclipped.maximum(clipped), mask);
    }

    /**
     * Clipped value loss: 0.5 mean of max((V - R)^2, (V_old + clip(V - V_old, -eps, eps) - R)^2).
     */
    public static NDArray value(NDArray values, NDArray oldValues, NDArray returns, NDArray mask,
            double clip) {
        NDArray clippedV = oldValues.add(values.sub(oldValues).clip(-clip, clip));
        NDArray a = values.sub(returns).square();
        NDArray b = clippedV.sub(returns).square();
        return Ops.mul(maskedMean(a.maximum(b), mask), 0.5);
    }

    /** Share of tokens whose ratio left [1 - eps, 1 + eps] (reported as policy/clipfrac). */
    public static NDArray clipFraction(NDArray logp, NDArray oldLogp, NDArray mask, double clip) {
        NDArray ratio = logp.sub(oldLogp).exp();
        NDArray out = ratio.sub(1f).abs().gt(clip).toType(DataType.FLOAT32, false);
        return maskedMean(out, mask);
    }

    /**
     * Per-token KL estimates of policy from reference, given log-probs of the sampled tokens:
     * k1 = logp - ref (unbiased, can be negative); k3 = (r - 1) - log r with r = exp(ref - logp)
     * (Schulman 2020, "Approximating KL divergence": unbiased and always >= 0).
     */
    public static NDArray klK1(NDArray logp, NDArray ref) {
        return logp.sub(ref);
    }

    public static NDArray klK3(NDArray logp, NDArray ref) {
        NDArray logR = ref.sub(logp);
        return logR.exp().sub(1f).sub(logR);
    }
}
