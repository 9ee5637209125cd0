/**
 * Critic-free online RL on rl's on-policy layer: GRPO, RLOO and REINFORCE++ ({@link
 * dev.align4j.onlinerl.Algorithm}), configured by {@link dev.align4j.onlinerl.OnlineRlConfig}, trained by
 * {@link dev.align4j.onlinerl.OnlineRlTrainer}.
 */
package dev.align4j.onlinerl;
