package dev.align4j.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;

/** Log-probabilities of the reply tokens of a {@link PairBatch} under a model. */
public final class SequenceLogProbs {

    private SequenceLogProbs() {}

    /**
     * One forward over the batch's 2B sequences.
     *
     * @return {@code [sums (2B), counts (2B)]}: per sequence the summed log-prob of its reply tokens
     *     and how many there are (the average is sums / counts)
     */
    public static NDArray[] of(CausalLM model, PairBatch batch, boolean training) {
        NDArray logits = model.forward(batch.ids(), null, training).logits(); // (2B, T, V)
        long t = logits.getShape().get(1);
        NDArray shifted = logits.get(new NDIndex(":, 0:{}, :", t - 1)); // (2B, T-1, V): predicts ids[1..]
        NDArray lp = LogProbs.tokenLogProbs(shifted, batch.targets()); // (2B, T-1)
        NDArray mask = batch.responseMask();
        return new NDArray[] {LogProbs.maskedSum(lp, mask), mask.sum(new int[] {1})};
    }
}
