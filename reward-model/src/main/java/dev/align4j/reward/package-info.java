/**
 * Reward models: a causal LM with a scalar head trained on preference pairs. RewardConfig and
 * RewardSettings (config), RewardLoss (Bradley-Terry, centering), RewardBatch and RewardData (2B
 * sequences per B pairs), RewardMetrics (accuracy, margin, calibration), RewardTrainer (the loop).
 * The model folder format is datasets.bundle.RewardBundle.
 */
package dev.align4j.reward;
