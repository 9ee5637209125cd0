package dev.align4j.core.run;

/** How a run ended. A run that fails (bad input, a non-finite value) throws instead of returning. */
public enum RunStatus {
    /** Every planned step ran and the final model was exported. */
    FINISHED,
    /** Stopped by Ctrl-C (or {@code Interrupts.request()}): a checkpoint was written, no model/. */
    INTERRUPTED
}
