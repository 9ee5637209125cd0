package dev.align4j.core.train;

import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * Evaluation run by the engine every eval_steps and at the end, outside any gradient collector,
 * inside an {@code NDScope} with a manager closed afterwards. Names should carry an {@code eval_}
 * prefix (e.g. {@code eval_loss}); the engine keeps the best checkpoint by
 * {@link TrainingArgs#metricForBestModel()}.
 */
@FunctionalInterface
public interface EvalFunction {

    /** Metrics after {@code step} completed optimizer steps. */
    Map<String, Double> evaluate(long step, NDManager manager);
}
