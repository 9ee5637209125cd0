package dev.align4j.core.run;

import dev.align4j.core.train.Checkpoint;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one non-finite policy: a run stops at the first NaN or infinite loss, grad_norm or metric of a
 * step (or eval), with an error naming the metric, the step and the last good checkpoint. The engine
 * checks the loss of each micro-batch before the optimizer step and every metric after it, before a
 * checkpoint could be written, so the last checkpoint on disk holds finite weights. The one
 * exception: an fp16 step the loss scaler skips for an overflow reports no grad_norm and goes on
 * (that is the scaler's job).
 */
public final class NonFiniteGuard {

    /** A run stopped because a value went NaN or infinite. */
    public static final class NonFiniteException extends IllegalStateException {
        NonFiniteException(String message) {
            super(message);
        }
    }

    private final Path outputDir;

    public NonFiniteGuard(Path outputDir) {
        this.outputDir = outputDir;
    }

    /** Throws {@link NonFiniteException} naming the step and the metric when a value is not finite. */
    public void check(long step, Map<String, Double> metrics) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            Double v = e.getValue();
            if (v != null && !Double.isFinite(v)) {
                throw failure(e.getKey(), v, "step " + step);
            }
        }
    }

    /** The exception for {@code metric} = {@code value} at {@code where} (e.g. "step 3 (micro-batch 1)"). */
    public NonFiniteException failure(String metric, double value, String where) {
        String last = Checkpoint.latest(Checkpoint.dir(outputDir)).map(Path::toString)
                .orElse("none (no checkpoint was written yet)");
        return new NonFiniteException(metric + " is " + value + " at " + where
                + "; stopped without saving. Last good checkpoint: " + last
                + ". Lower learning_rate (DPO: beta), or check the data.");
    }
}
