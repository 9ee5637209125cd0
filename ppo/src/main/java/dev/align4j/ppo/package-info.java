/** PPO on a policy, a frozen reference, a value head and a reward model (PpoConfig, PpoLoss, PpoTrainer). */
package dev.align4j.ppo;
