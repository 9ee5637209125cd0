/**
 * The on-policy layer shared by PPO now and GRPO/RLOO next: rollouts ({@link dev.align4j.rl.Rollouts},
 * {@link dev.align4j.rl.Rollout}), the reference ({@link dev.align4j.rl.Reference}), reward functions
 * ({@link dev.align4j.rl.RewardFunction}), per-token KL estimators ({@link dev.align4j.rl.KlEstimator}),
 * advantage estimators ({@link dev.align4j.rl.AdvantageEstimator}), whitening and the clipped policy
 * loss ({@link dev.align4j.rl.PolicyLoss}).
 */
package dev.align4j.rl;
