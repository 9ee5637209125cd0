package dev.align4j.ppo;

import ai.djl.ndarray.NDArray;
import dev.align4j.rl.PolicyLoss;
import dev.align4j.core.math.Ops;

/**
 * PPO's clipped value loss (Schulman et al. 2017), a pure function over response tokens: inputs
 * (B, T) with a 0/1 mask (B, T), a masked mean over valid tokens (scalar). The clipped policy loss
 * and the KL estimators are in the on-policy layer ({@code dev.align4j.rl}).
 */
public final class PpoLoss {

    private PpoLoss() {}

    /**
     * Clipped value loss: 0.5 mean of max((V - R)^2, (V_old + clip(V - V_old, -eps, eps) - R)^2).
     */
    public static NDArray value(NDArray values, NDArray oldValues, NDArray returns, NDArray mask,
            double clip) {
        NDArray clippedV = oldValues.add(values.sub(oldValues).clip(-clip, clip));
        NDArray a = values.sub(returns).square();
        NDArray b = clippedV.sub(returns).square();
        return Ops.mul(PolicyLoss.maskedMean(a.maximum(b), mask), 0.5);
    }
}
