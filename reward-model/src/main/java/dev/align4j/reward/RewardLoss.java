package dev.align4j.reward;

import ai.djl.ndarray.NDArray;
import dev.align4j.core.math.Ops;

/** Reward-model losses as pure functions of the scalar rewards of each pair. Inputs are (B). */
public final class RewardLoss {

    private RewardLoss() {}

    /**
     * Bradley-Terry pairwise loss (Ouyang et al. 2022, eq. 1): mean over pairs of
     * -log sigmoid(r_c - r_r - margin). {@code margin} (B) may be null (no margin).
     */
    public static NDArray bradleyTerry(NDArray chosen, NDArray rejected, NDArray margin) {
        NDArray diff = chosen.sub(rejected);
        if (margin != null) {
            diff = diff.sub(margin);
        }
        return Ops.logSigmoid(diff).neg().mean();
    }

    /**
     * Centering term coef * mean((r_c + r_r)^2) that keeps rewards near zero mean (Eisenstein et al.
     * 2023; TRL's center_rewards_coefficient, 0.01 recommended). Returns 0-valued array when coef is 0.
     */
    public static NDArray centering(NDArray chosen, NDArray rejected, double coef) {
        return Ops.mul(chosen.add(rejected).square().mean(), coef);
    }

    /** Share of pairs with r_c > r_r, as a Java number. */
    public static double accuracy(NDArray chosen, NDArray rejected) {
        return chosen.gt(rejected).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean()
                .getFloat();
    }
}
