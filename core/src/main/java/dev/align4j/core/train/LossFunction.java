package dev.align4j.core.train;

import ai.djl.ndarray.NDManager;

/**
 * A method's loss for one micro-batch, called by {@link TrainingEngine} inside its
 * {@code GradientCollector} and an {@code NDScope}: every array created here is freed after the
 * micro-batch, so keep nothing.
 *
 * <p>The loss must be the <b>mean</b> over the micro-batch (per example or per token, as the method
 * defines it). The engine divides it by gradient_accumulation_steps before backward, so A
 * micro-batches of size b give the gradient of the mean over the A*b examples, the same as one
 * batch of A*b (exactly so when micro-batches carry equal weight, e.g. equal token counts).
 *
 * @param <B> batch type from the {@link BatchSource}
 */
@FunctionalInterface
public interface LossFunction<B> {

    /** Forward pass and loss for {@code batch}; {@code stepManager} is closed after the micro-batch. */
    StepOutput compute(B batch, NDManager stepManager);
}
