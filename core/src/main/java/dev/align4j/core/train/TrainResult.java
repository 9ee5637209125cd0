package dev.align4j.core.train;

import java.nio.file.Path;

/**
 * Outcome of {@link TrainingEngine#run()}.
 *
 * @param steps optimizer steps completed (including those before a resume)
 * @param lastLoss loss of the last step (NaN if no step ran in this call)
 * @param lastCheckpoint folder of the final checkpoint
 * @param bestCheckpoint folder of the best checkpoint by metric_for_best_model, or null without eval
 * @param bestValue that metric's best value (NaN without eval)
 */
public record TrainResult(long steps, double lastLoss, Path lastCheckpoint, Path bestCheckpoint, double bestValue) {
}
