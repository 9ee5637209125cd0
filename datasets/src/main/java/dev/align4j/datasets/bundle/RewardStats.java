package dev.align4j.datasets.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.stats.Stats;

/**
 * Mean and standard deviation of a reward model's scores over the responses it was trained on
 * ({@code reward_stats.json}). PPO divides {@code (r - mean) / std} so that its KL coefficient and
 * value loss see rewards of unit scale whatever the reward model's offset.
 *
 * @param mean mean reward
 * @param std population standard deviation (never below 1e-8 when used to normalise)
 * @param count how many responses the statistics were taken over
 * @param source what was scored, in words
 */
public record RewardStats(
        @JsonProperty("mean") double mean,
        @JsonProperty("std") double std,
        @JsonProperty("count") long count,
        @JsonProperty("source") String source) {

    /** Statistics of {@code values}; empty input gives mean 0, std 1. */
    public static RewardStats of(float[] values, String source) {
        if (values.length == 0) {
            return new RewardStats(0, 1, 0, source);
        }
        return new RewardStats(Stats.mean(values), Stats.populationStd(values), values.length, source);
    }

    /** {@code (r - mean) / std}. */
    public double normalize(double reward) {
        return (reward - mean) / Math.max(std, 1e-8);
    }
}
