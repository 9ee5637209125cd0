/** Reward models: a causal LM with a scalar head trained on preference pairs (RewardConfig, RewardLoss, RewardTrainer). */
package dev.align4j.reward;
