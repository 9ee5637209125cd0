package dev.align4j.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

import dev.align4j.core.model.LogProbs;
import dev.align4j.datasets.tokenize.TokenizedExample;

/**
 * The SFT (and pretraining) loss: next-token cross-entropy, averaged over the tokens that carry a
 * label. Position t of the logits predicts {@code labels[t + 1]}; a label of -100 (prompt, padding,
 * the first token of a packed example) takes no loss, as with PyTorch's
 * {@code CrossEntropyLoss(ignore_index=-100)} over shifted labels in Hugging Face's causal LMs.
 */
public final class SftLoss {

    private SftLoss() {
    }

    /** The mask (B, T-1) of shifted targets that carry a loss: labels (B, T) -> labels[:, 1:] != -100. */
    public static NDArray targetMask(NDArray labels) {
        return labels.get(new NDIndex(":, 1:")).neq(TokenizedExample.IGNORE);
    }

    /**
     * Mean cross-entropy over labelled positions: logits (B, T, V), labels (B, T) -> scalar.
     * A batch without any labelled token gives 0 (and no gradient), not NaN.
     */
    public static NDArray loss(NDArray logits, NDArray labels) {
        NDArray mask = targetMask(labels);
        // -100 is no valid index for gather: masked targets become id 0, then the mask drops them
        NDArray targets = labels.get(new NDIndex(":, 1:")).mul(mask.toType(labels.getDataType(), false));
        return LogProbs.crossEntropy(logits.get(new NDIndex(":, :-1, :")), targets, mask);
    }

    /**
     * Summed cross-entropy over labelled positions (a scalar), for token-weighted means across
     * batches (evaluation); divide by {@link #tokenCount}.
     */
    public static NDArray lossSum(NDArray logits, NDArray labels) {
        NDArray mask = targetMask(labels);
        NDArray targets = labels.get(new NDIndex(":, 1:")).mul(mask.toType(labels.getDataType(), false));
        NDArray lp = LogProbs.tokenLogProbs(logits.get(new NDIndex(":, :-1, :")), targets);
        return lp.mul(mask.toType(lp.getDataType(), false)).sum().neg();
    }

    /** Labelled positions after the shift: labels (B, T) -> scalar count (int64). */
    public static NDArray tokenCount(NDArray labels) {
        return targetMask(labels).toType(DataType.INT64, false).sum();
    }

    /** {@link #tokenCount} on host arrays: labels (B, T). */
    public static long tokenCount(int[][] labels) {
        long n = 0;
        for (int[] row : labels) {
            for (int t = 1; t < row.length; t++) {
                n += row[t] == TokenizedExample.IGNORE ? 0 : 1;
            }
        }
        return n;
    }
}
