package dev.align4j.core.train;

import java.nio.file.Path;
import java.util.Map;

/** Optional hooks into {@link TrainingEngine}; every method has a no-op default. */
public interface TrainingListener {

    /**
     * After each optimizer step with that step's host-side values ({@code loss}, {@code lr},
     * {@code grad_norm} and method metrics). Return false to stop training after this step
     * (a final checkpoint is still written).
     */
    default boolean onStep(long step, Map<String, Double> metrics) {
        return true;
    }

    /**
     * While a checkpoint is being written, before its folder is renamed into place: write extra
     * files (model config, tokenizer) into {@code tmpDir} so they are part of the atomic swap.
     */
    default void writeCheckpointExtras(Path tmpDir, long step) {
    }

    /** Once, after the last step and the final checkpoint. */
    default void onTrainEnd(TrainResult result) {
    }
}
