package dev.align4j.core.train;

/**
 * A learning rate as a pure function of the optimizer step, with Hugging Face {@code transformers}
 * semantics ({@code get_scheduler}): {@code lr(step)} is the rate used by the optimizer step that
 * follows {@code step} completed steps, so with warmup the very first step runs at rate 0, exactly
 * as HF's {@code LambdaLR} does.
 *
 * <ul>
 *   <li>warmup, for {@code step < warmupSteps}: {@code base * step / warmupSteps}
 *   <li>LINEAR after warmup: {@code base * max(0, (total - step) / (total - warmup))}
 *   <li>COSINE after warmup: {@code base * max(0, 0.5 * (1 + cos(pi * progress)))},
 *       {@code progress = (step - warmup) / (total - warmup)}
 * </ul>
 *
 * @param type the shape
 * @param baseLr the peak rate
 * @param warmupSteps steps of linear warmup (ignored by CONSTANT)
 * @param totalSteps optimizer steps in the run; decay reaches 0 here
 */
public record LrSchedule(SchedulerType type, double baseLr, long warmupSteps, long totalSteps) {

    public LrSchedule {
        if (type == null) {
            throw new IllegalArgumentException("lr schedule type is required");
        }
        if (baseLr < 0 || warmupSteps < 0 || totalSteps < 0) {
            throw new IllegalArgumentException("lr schedule: negative value in base_lr=" + baseLr
                    + " warmup_steps=" + warmupSteps + " total_steps=" + totalSteps);
        }
    }

    /**
     * Warmup length as HF computes it: {@code warmupSteps} when positive, otherwise
     * {@code ceil(totalSteps * warmupRatio)}.
     */
    public static long warmupSteps(long totalSteps, long warmupSteps, double warmupRatio) {
        return warmupSteps > 0 ? warmupSteps : (long) Math.ceil(totalSteps * warmupRatio);
    }

    /** The rate for the optimizer step after {@code step} completed steps (0-based). */
    public double lr(long step) {
        return baseLr * factor(step);
    }

    /** The multiplier of {@link #baseLr} at {@code step}, in [0, 1]. */
    public double factor(long step) {
        if (type == SchedulerType.CONSTANT) {
            return 1.0;
        }
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        double decaySteps = Math.max(1, totalSteps - warmupSteps);
        return switch (type) {
            case CONSTANT_WITH_WARMUP -> 1.0;
            case LINEAR -> Math.max(0.0, (totalSteps - step) / decaySteps);
            case COSINE -> Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * (step - warmupSteps) / decaySteps)));
            case CONSTANT -> 1.0;
        };
    }
}
