package dev.align4j.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A checkpoint's {@code state.json}: where training stands and what made it.
 *
 * @param step optimizer steps completed
 * @param epoch fractional epochs consumed (micro_batch / batches per epoch)
 * @param microBatch data position: index of the next micro-batch in the stream of all epochs
 * @param seed the run's seed (engine RNG and data order)
 * @param lr learning rate used by the last step
 * @param totalSteps planned optimizer steps
 * @param dataHash {@link BatchSource#dataHash()}
 * @param projectVersion align4j version that wrote the checkpoint
 * @param wallTimeS training wall time so far, summed over resumes
 * @param savedAt ISO-8601 time of writing
 * @param bestStep step of the best checkpoint so far, -1 if none
 * @param bestMetric name of the metric the best checkpoint is chosen by
 * @param bestValue its value at best_step (null if none)
 */
public record TrainState(
        @JsonProperty("step") long step,
        @JsonProperty("epoch") double epoch,
        @JsonProperty("micro_batch") long microBatch,
        @JsonProperty("seed") long seed,
        @JsonProperty("lr") double lr,
        @JsonProperty("total_steps") long totalSteps,
        @JsonProperty("data_hash") String dataHash,
        @JsonProperty("project_version") String projectVersion,
        @JsonProperty("wall_time_s") double wallTimeS,
        @JsonProperty("saved_at") String savedAt,
        @JsonProperty("best_step") long bestStep,
        @JsonProperty("best_metric") String bestMetric,
        @JsonProperty("best_value") Double bestValue) {

    /** A builder, so call sites name every field instead of passing 13 positional values. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a {@link TrainState}; unset fields: 0, "" and no best checkpoint (best_step -1). */
    public static final class Builder {
        private long step;
        private double epoch;
        private long microBatch;
        private long seed;
        private double lr;
        private long totalSteps;
        private String dataHash = "";
        private String projectVersion = dev.align4j.core.Version.project();
        private double wallTimeS;
        private String savedAt = java.time.Instant.now().toString();
        private long bestStep = -1;
        private String bestMetric;
        private Double bestValue;

        private Builder() {
        }

        public Builder step(long v) { step = v; return this; }

        public Builder epoch(double v) { epoch = v; return this; }

        public Builder microBatch(long v) { microBatch = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        public Builder lr(double v) { lr = v; return this; }

        public Builder totalSteps(long v) { totalSteps = v; return this; }

        public Builder dataHash(String v) { dataHash = v; return this; }

        public Builder wallTimeS(double v) { wallTimeS = v; return this; }

        /** The best checkpoint so far ({@code step < 0}: none; value then ignored). */
        public Builder best(long step, String metric, double value) {
            bestStep = step;
            bestMetric = metric;
            bestValue = step < 0 ? null : value;
            return this;
        }

        public TrainState build() {
            return new TrainState(step, epoch, microBatch, seed, lr, totalSteps, dataHash, projectVersion, wallTimeS,
                    savedAt, bestStep, bestMetric, bestValue);
        }
    }
}
