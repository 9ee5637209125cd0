package dev.align4j.onlinerl;

import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.rl.Reference;
import dev.align4j.rl.RewardFunction;

import java.util.Map;

/**
 * What a critic-free iteration works on.
 *
 * @param policy the policy being trained
 * @param trainable the policy parameters the optimizer updates (all, or the LoRA adapters)
 * @param reference frozen reference log-probs, or null when beta is 0 (none held)
 * @param reward the sequence reward (rl's RewardFuncs or a lambda)
 */
public record OnlineRlModels(CausalLM policy, Map<String, Parameter> trainable, Reference reference,
        RewardFunction reward) {
}
