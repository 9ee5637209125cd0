package dev.align4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;
import dev.align4j.core.model.ScalarHead;

/** The forward passes on-policy methods need over a {@link Rollout.Tensors} layout; shapes (b, R). */
public final class Forward {

    private Forward() {}

    /** Hidden states (b, R, C) at the columns that predict response tokens 0..R-1. */
    public static NDArray responseHidden(CausalLM model, Rollout.Tensors t, boolean training) {
        NDArray hidden = model.hidden(t.ids(), t.mask(), t.positions(), null, training); // (b, P+R, C)
        int from = t.promptWidth() - 1;
        return hidden.get(new NDIndex(":, {}:{}, :", from, from + t.responseWidth()));
    }

    /** Response logits (b, R, V). */
    public static NDArray logits(CausalLM model, Rollout.Tensors t, boolean training) {
        return model.logits(responseHidden(model, t, training));
    }

    /** log p(response token t) (b, R) from response logits. */
    public static NDArray logProbs(NDArray logits, Rollout.Tensors t) {
        return LogProbs.tokenLogProbs(logits, t.targets());
    }

    /** Entropy of each position's distribution (b, R) from response logits. */
    public static NDArray entropy(NDArray logits) {
        NDArray logp = logits.logSoftmax(-1);
        return logp.exp().mul(logp).sum(new int[] {-1}).neg();
    }

    /**
     * Critic values (b, R): V of the state before response token t, i.e. the head at the column
     * that predicts it (TRL reads values at context_length - 1 .. -1 the same way).
     */
    public static NDArray values(CausalLM backbone, ScalarHead head, Rollout.Tensors t, boolean training) {
        return head.forward(responseHidden(backbone, t, training));
    }
}
