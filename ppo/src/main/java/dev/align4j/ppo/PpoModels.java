package dev.align4j.ppo;

import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.rl.Reference;
import dev.align4j.rl.RewardFunction;

import java.util.Map;

/**
 * What a PPO iteration works on.
 *
 * @param policy the policy being trained (its rollouts and log-probs)
 * @param policyTrainable the policy parameters the optimizer updates (all, or the LoRA adapters)
 * @param reference frozen reference log-probs
 * @param reward sequence rewards (a reward model, the sentiment judge, a rule)
 * @param critic the value model, trained in full
 */
public record PpoModels(CausalLM policy, Map<String, Parameter> policyTrainable, Reference reference,
        RewardFunction reward, Critic critic) {
}
