package dev.align4j.dpo;

import dev.align4j.core.train.Checkpoint;

import java.nio.file.Path;
import java.util.Map;

/**
 * Stops a run at the first NaN or infinite loss, gradient norm or metric. It throws from
 * {@code onStep}, before the engine would write a checkpoint of the broken weights, so the last
 * checkpoint on disk is the last good one. (The engine itself checks only the loss.)
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
            double v = e.getValue();
            if (!Double.isFinite(v)) {
                String last = Checkpoint.latest(Checkpoint.dir(outputDir)).map(Path::toString)
                        .orElse("none (no checkpoint was written yet)");
                throw new NonFiniteException(e.getKey() + " is " + v + " at step " + step
                        + "; stopped without saving. Last good checkpoint: " + last
                        + ". Lower learning_rate or beta, or check the data.");
            }
        }
    }
}
