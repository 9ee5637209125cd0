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
}
