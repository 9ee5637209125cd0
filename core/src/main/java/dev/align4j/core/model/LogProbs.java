package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Per-token log-probabilities, the quantity SFT, DPO and PPO all start from. */
public final class LogProbs {

    private LogProbs() {}

    /**
     * log p(target_t | context) for every position: logits (B, T, V), targets (B, T) -> (B, T).
     * Callers align targets with the logits (targets = ids shifted left by one).
     */
    public static NDArray tokenLogProbs(NDArray logits, NDArray targets) {
        NDArray idx = targets.toType(DataType.INT64, false).expandDims(-1);
        return logits.logSoftmax(-1).gather(idx, -1).squeeze(-1);
    }

    /** Sum over T of values (B, T) where mask is 1 -> (B). */
    public static NDArray maskedSum(NDArray values, NDArray mask) {
        return values.mul(mask.toType(values.getDataType(), false)).sum(new int[] {1});
    }

    /** Mean over T of values (B, T) where mask is 1 -> (B); rows with an empty mask give 0. */
    public static NDArray maskedMean(NDArray values, NDArray mask) {
        NDArray m = mask.toType(values.getDataType(), false);
        return values.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1));
    }

    /**
     * Mean token cross-entropy over all masked positions of the batch (one number): the SFT loss.
     * logits (B, T, V), targets (B, T), mask (B, T).
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets, NDArray mask) {
        NDArray m = mask.toType(logits.getDataType(), false);
        return tokenLogProbs(logits, targets).mul(m).sum().neg().div(m.sum().maximum(1));
    }
}
