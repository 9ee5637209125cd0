package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link LossFunction} returns for one micro-batch: the scalar loss to differentiate and
 * named metrics, either as scalar arrays (read once by the engine after backward) or as Java
 * doubles. The engine averages metrics over micro-batches and over the logging window.
 */
public final class StepOutput {

    private final NDArray loss;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Map<String, Double> values = new LinkedHashMap<>();

    private StepOutput(NDArray loss) {
        this.loss = loss;
    }

    /** @param loss scalar (shape () or (1)) mean loss of the micro-batch */
    public static StepOutput of(NDArray loss) {
        if (loss == null || loss.size() != 1) {
            throw new IllegalArgumentException("loss must be a scalar array, got "
                    + (loss == null ? "null" : "shape " + loss.getShape()));
        }
        return new StepOutput(loss);
    }

    /** Adds a metric held in a scalar array (e.g. DPO's reward margin); not differentiated. */
    public StepOutput metric(String name, NDArray scalar) {
        checkName(name);
        arrays.put(name, scalar);
        return this;
    }

    /** Adds a metric already on the host. */
    public StepOutput metric(String name, double value) {
        checkName(name);
        values.put(name, value);
        return this;
    }

    private void checkName(String name) {
        if (TrainingEngine.RESERVED.contains(name) || arrays.containsKey(name) || values.containsKey(name)) {
            throw new IllegalArgumentException("metric name '" + name + "' is reserved or used twice");
        }
    }

    public NDArray loss() {
        return loss;
    }

    public Map<String, NDArray> arrayMetrics() {
        return Collections.unmodifiableMap(arrays);
    }

    public Map<String, Double> valueMetrics() {
        return Collections.unmodifiableMap(values);
    }
}
