package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import dev.align4j.core.model.Autocast;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.align4j.core.math.Ops;

/**
 * The one optimizer step of every trainer (TrainingEngine and PPO): <b>accumulate</b> (each
 * micro-batch's backward of loss x weight x loss scale, {@link #backward}) -> <b>unscale</b> (fp16)
 * -> <b>check</b> (an inf/NaN gradient under fp16 skips the step and halves the scale) ->
 * <b>clip</b> (global norm, {@link GradClip}) -> <b>AdamW</b> at the scheduled rate
 * ({@link #apply}). Owns the {@link AdamW} state and, with fp16, the {@link LossScaler} and the
 * {@link MixedPrecision} copies.
 */
public final class OptimizerStep implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(OptimizerStep.class);

    /**
     * @param gradNorm global gradient norm before clipping; NaN when the step was skipped
     * @param taken false when an fp16 overflow skipped the update
     */
    public record Outcome(double gradNorm, boolean taken) {
    }

    private final Map<String, Parameter> trainable;
    private final AdamW optimizer;
    private final double maxGradNorm;
    private final LossScaler scaler;
    private final MixedPrecision half;

    /**
     * @param fp16InitialScale the loss scaler's first scale, or null for fp32
     * @param base owns the fp16 copies of frozen weights (unused for fp32)
     */
    public OptimizerStep(Map<String, Parameter> trainable, AdamW.Config adam, double maxGradNorm,
            Double fp16InitialScale, NDManager base) {
        this.trainable = new LinkedHashMap<>(trainable);
        this.optimizer = new AdamW(this.trainable, adam);
        this.maxGradNorm = maxGradNorm;
        this.scaler = fp16InitialScale == null ? null : new LossScaler(fp16InitialScale);
        this.half = fp16InitialScale == null ? null : new MixedPrecision(this.trainable.values(), base);
    }

    /**
     * Opens the fp16 region of a micro-batch's forward (float16 copies of the trainable weights),
     * or returns null for fp32; use in try-with-resources (null is allowed there).
     */
    public Autocast autocast(NDManager manager, boolean withGrad) {
        return half == null ? null : half.open(manager, withGrad);
    }

    /**
     * Backward of {@code loss x weight} (x the loss scale with fp16) into the open collector:
     * {@code weight} is the micro-batch's share of the step (1 / accumulation steps, or its token
     * share). Call {@link #afterBackward} once the collector is closed.
     */
    public void backward(GradientCollector gc, NDArray loss, double weight) {
        float factor = (float) ((scaler == null ? 1.0 : scaler.scale()) * weight);
        gc.backward(factor == 1f ? loss : Ops.mul(loss, factor)); // not loss.mul(float): docs/DESIGN.md, traps
    }

    /** With fp16, moves the copies' gradients onto the float32 masters; call with no collector open. */
    public void afterBackward() {
        if (half != null) {
            half.moveGradients();
        }
    }

    /** Unscale, check, clip and update at rate {@code lr}; zeroes the gradients either way. */
    public Outcome apply(double lr, long stepNumber) {
        try (NDScope scope = new NDScope()) {
            List<NDArray> grads = new ArrayList<>();
            for (Parameter p : trainable.values()) {
                if (p.getArray().hasGradient()) {
                    grads.add(p.getArray().getGradient());
                }
            }
            scope.suppressNotUsedWarning();
            if (scaler == null) {
                double norm = GradClip.clipGlobalNorm(grads, maxGradNorm);
                optimizer.step(lr);
                return new Outcome(norm, true);
            }
            scaler.unscale(grads);
            double norm = GradClip.globalNorm(grads);
            if (!scaler.update(Double.isFinite(norm))) {
                LOG.info("step {}: fp16 gradient overflow, step skipped, loss scale now {}", stepNumber,
                        scaler.scale());
                optimizer.zeroGrad();
                return new Outcome(Double.NaN, false);
            }
            GradClip.clip(grads, maxGradNorm, norm);
            optimizer.step(lr);
            return new Outcome(norm, true);
        }
    }

    /** Adds loss_scale and skipped_steps (fp16 only) to {@code metrics}. */
    public void putScalerMetrics(Map<String, Double> metrics) {
        if (scaler != null) {
            metrics.put("loss_scale", scaler.scale());
            metrics.put("skipped_steps", (double) scaler.skipped());
        }
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** The fp16 loss scaler, or null for fp32. */
    public LossScaler scaler() {
        return scaler;
    }

    /** Optimizer updates taken plus steps skipped by the scaler. */
    public long stepsDone() {
        return optimizer.stepCount() + (scaler == null ? 0 : scaler.skipped());
    }

    public Map<String, Parameter> trainable() {
        return trainable;
    }

    @Override
    public void close() {
        optimizer.close();
        if (half != null) {
            half.close();
        }
    }
}
