package dev.align4j.core.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Outcome of {@link TrainingEngine#run()}.
 *
 * @param steps optimizer steps completed (including those before a resume)
 * @param lastLoss loss of the last step (NaN if no step ran in this call)
 * @param lastCheckpoint folder of the final checkpoint
 * @param bestCheckpoint folder of the best checkpoint by metric_for_best_model, or null without eval
 * @param bestValue that metric's best value (NaN without eval)
 * @param lastMetrics the last step's values (loss, lr, grad_norm, method metrics)
 * @param lastEval the last eval's values (empty without eval)
 * @param stopped true when training ended before the planned steps (Ctrl-C or a listener)
 */
public record TrainResult(long steps, double lastLoss, Path lastCheckpoint, Path bestCheckpoint, double bestValue,
        Map<String, Double> lastMetrics, Map<String, Double> lastEval, boolean stopped) {

    public TrainResult {
        lastMetrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lastMetrics));
        lastEval = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lastEval));
    }
}
