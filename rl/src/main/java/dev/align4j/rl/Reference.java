package dev.align4j.rl;

import ai.djl.ndarray.NDArray;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;

/**
 * The frozen reference policy's log-probs of the response tokens, (b, R), without gradient: a frozen
 * copy of the starting model ({@link #of}) or the LoRA policy with its adapters off
 * ({@link #adaptersOff}).
 */
@FunctionalInterface
public interface Reference {

    NDArray logProbs(Rollout.Tensors t);

    /** A separate frozen model (a second copy of the SFT model). */
    static Reference of(CausalLM model) {
        return t -> Forward.logProbs(Forward.logits(model, t, false), t).stopGradient();
    }

    /** The LoRA/QLoRA policy itself with its adapters switched off: the base is the SFT model. */
    static Reference adaptersOff(CausalLM policy) {
        return t -> {
            Adapters.setEnabled(policy, false);
            try {
                return Forward.logProbs(Forward.logits(policy, t, false), t).stopGradient();
            } finally {
                Adapters.setEnabled(policy, true);
            }
        };
    }
}
