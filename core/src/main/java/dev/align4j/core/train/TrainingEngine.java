package dev.align4j.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.align4j.core.run.MetricsSink;
import dev.align4j.core.run.MetricsSinks;
import dev.align4j.core.run.RunFiles;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one training loop of SFT, pretraining, reward modelling and DPO (PPO runs its own iteration
 * loop on the same parts: {@link OptimizerStep}, {@link Checkpoint}, the sinks). Each optimizer step:
 *
 * <ol>
 *   <li>reseeds the engine RNG from (seed, step), so dropout masks do not depend on where a run
 *       was resumed;
 *   <li>for each of A = gradient_accumulation_steps micro-batches, inside a sub-manager and an
 *       {@code NDScope} (gradient handles and ops on parameters would otherwise attach to the
 *       parameters' manager and leak): builds the batch, opens the JVM's single
 *       {@code GradientCollector}, runs the {@link LossFunction} and backpropagates loss / A;
 *   <li>{@link OptimizerStep}: unscale (fp16), check, clip the global gradient norm, take an
 *       {@link AdamW} step at the scheduled rate and zero the gradients.
 * </ol>
 *
 * The loop itself is {@link TrainLoop}. Ctrl-C ({@code Interrupts.requested()}, checked after every
 * step) or a listener returning false ends the run early with a checkpoint and
 * {@link TrainResult#stopped()}. A non-finite loss (per micro-batch, before the update) or metric
 * (after it, before any checkpoint) throws {@code core.run.NonFiniteGuard.NonFiniteException}.
 * Lines go to the sinks of {@code core.run.MetricsSinks#standard} (metrics.jsonl, progress bar)
 * plus {@link Builder#optSinks}.
 *
 * Metrics leave the step as Java doubles. Every logging_steps a line goes to
 * {@code metrics.jsonl} (step, epoch, loss, lr, grad_norm, tokens_per_s when the source counts
 * tokens, elapsed_s, method metrics averaged over the window; lr is the rate used by the logged
 * step). Eval runs every eval_steps and at the end; an improvement of metric_for_best_model writes
 * a checkpoint that pruning never deletes. Checkpoints every save_steps and at the end.
 *
 * <p>Resume restores weights, optimizer state, step and data position, so a run of 10 steps
 * resumed for 10 more is bit-identical on CPU to 20 straight steps. The run folder also gets
 * {@code config.json} (the caller's resolved config, or the args) and {@code run.json} (seed, data
 * hash, version, sizes).
 *
 * <p>fp16 mixed precision (fp32 master weights + dynamic loss scaling, as in Micikevicius et al.
 * 2018): the loss function and eval run inside an {@link dev.align4j.core.model.Autocast} region in which the model
 * computes with float16 copies of the weights, made from the float32 parameters (the masters)
 * for each micro-batch; logits and scalar heads come back as float32, so losses are float32. The
 * loss is multiplied by the {@link LossScaler}'s scale before the backward; the copies' float16
 * gradients are moved onto the masters, unscaled before clipping; a step with an inf/NaN gradient
 * is skipped (no optimizer update, data still advances) and the scale halves. metrics.jsonl gets loss_scale and skipped_steps; checkpoints
 * keep the scaler in {@code loss_scaler.json}. It is meant for GPUs: fp16 kernels on CPU are far
 * slower than fp32 (DJL_NOTES.md), which is logged. bf16 is not offered: it crashes DJL 0.35.1.
 *
 * @param <B> batch type shared by the {@link BatchSource} and the {@link LossFunction}
 */
public final class TrainingEngine<B> {

    /** Keys the engine writes itself; method metrics may not use them. */
    public static final Set<String> RESERVED = Set.of("step", "epoch", "loss", "lr", "grad_norm",
            "tokens_per_s", "elapsed_s", "loss_scale", "skipped_steps");

    /** Checkpoint file with the fp16 loss scaler's state. */
    public static final String SCALER_FILE = ScalerState.FILE;

    private static final Logger LOG = LogManager.getLogger(TrainingEngine.class);

    final Map<String, Parameter> trainable;
    final Map<String, Parameter> modelParams;
    final TrainingArgs args;
    final BatchSource<B> data;
    final LossFunction<B> loss;
    final EvalFunction eval;
    final TrainingListener listener;
    private final Object runConfig;
    private final AdamW.Config adamConfig;
    private final List<MetricsSink> extraSinks;

    private TrainingEngine(Builder<B> b) {
        this.trainable = new LinkedHashMap<>(b.trainable);
        this.modelParams = new LinkedHashMap<>(b.modelParams == null ? b.trainable : b.modelParams);
        this.args = b.args;
        this.data = b.data;
        this.loss = b.loss;
        this.eval = b.eval;
        this.listener = b.listener == null ? new TrainingListener() { } : b.listener;
        this.runConfig = b.runConfig == null ? args : b.runConfig;
        this.adamConfig = b.decayRule == null ? args.adamConfig() : args.adamConfig().withDecay(b.decayRule);
        this.extraSinks = List.copyOf(b.sinks);
    }

    public static <B> Builder<B> builder() {
        return new Builder<>();
    }

    /** Trains to the planned number of steps (or until Ctrl-C or a listener stops it); see the class doc. */
    public TrainResult run() {
        // validate everything before anything is written (DESIGN.md: no output for a bad run)
        Path out = Path.of(args.outputDir());
        Path resumeFrom = RunFiles.validate(args);
        Device device = Devices.resolve(args.device());
        checkParameters(device);
        long perEpoch = data.batchesPerEpoch();
        if (perEpoch < 1) {
            throw new IllegalArgumentException("batch source has no batches (batchesPerEpoch = " + perEpoch + ")");
        }
        long total = args.totalSteps(perEpoch);
        LrSchedule schedule = args.schedule(total);
        warnPrecision(device);

        Map<String, Object> run = RunFiles.runInfo(args.seed(), data.dataHash());
        run.put("dataset_size", data.size());
        run.put("batches_per_epoch", perEpoch);
        run.put("total_steps", total);
        run.put("trainable_parameters", trainable.values().stream().mapToLong(p -> p.getArray().size()).sum());
        run.put("device", device.toString());
        run.put("resumed_from", resumeFrom == null ? null : resumeFrom.toString());
        RunFiles.start(out, runConfig, run);
        Checkpoint.cleanTemporaries(Checkpoint.dir(out));

        Engine.getInstance().setRandomSeed((int) args.seed());
        try (NDManager base = NDManager.newBaseManager(device);
                OptimizerStep optimizer = new OptimizerStep(trainable, adamConfig, args.maxGradNorm(),
                        args.fp16() ? args.fp16InitialScale() : null, base)) {
            TrainLoop<B> loop = new TrainLoop<>(this, base, optimizer, schedule, total, perEpoch, out);
            if (resumeFrom != null) {
                loop.resume(resumeFrom);
            }
            TrainResult result;
            try (MetricsSinks sinks = MetricsSinks.standard(out, total, "loss", extraSinks)) {
                result = loop.train(sinks);
            }
            listener.onTrainEnd(result);
            return result;
        }
    }

    private void checkParameters(Device device) {
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters");
        }
        for (Map.Entry<String, Parameter> e : modelParams.entrySet()) {
            if (!e.getValue().isInitialized()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is not initialised");
            }
            Device d = e.getValue().getArray().getDevice();
            if (!d.equals(device)) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is on " + d + " but device '"
                        + args.device() + "' resolves to " + device + ": initialise the model on Devices.resolve(device)");
            }
        }
    }

    private void warnPrecision(Device device) {
        if (!args.fp16()) {
            return;
        }
        if (device.isGpu()) {
            LOG.info("fp16 mixed precision: float16 linear layers, float32 master weights, dynamic loss scale "
                    + "starting at {}", args.fp16InitialScale());
        } else {
            LOG.warn("fp16 mixed precision on CPU: it works but float16 kernels are much slower than float32 "
                    + "here; use it on a GPU");
        }
    }

    /** Reads a scalar array as a double (any float dtype; fp16 via fp32). */
    static double scalar(NDArray a) {
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        if (v.length != 1) {
            throw new IllegalArgumentException("expected a scalar, got shape " + a.getShape());
        }
        return v[0];
    }

    /** Collects the parts of a {@link TrainingEngine}; {@link #build()} checks the required ones. */
    public static final class Builder<B> {
        private Map<String, Parameter> trainable;
        private Map<String, Parameter> modelParams;
        private TrainingArgs args;
        private BatchSource<B> data;
        private LossFunction<B> loss;
        private EvalFunction eval;
        private TrainingListener listener;
        private Object runConfig;
        private java.util.function.BiPredicate<String, ai.djl.ndarray.types.Shape> decayRule;
        private final List<MetricsSink> sinks = new ArrayList<>();

        private Builder() {
        }

        /** Required: the parameters AdamW updates, by dotted name. */
        public Builder<B> setParameters(Map<String, Parameter> trainable) { this.trainable = trainable; return this; }

        /** Required: hyper-parameters. */
        public Builder<B> setArgs(TrainingArgs args) { this.args = args; return this; }

        /** Required: training data. */
        public Builder<B> setData(BatchSource<B> data) { this.data = data; return this; }

        /** Required: the method's loss. */
        public Builder<B> setLoss(LossFunction<B> loss) { this.loss = loss; return this; }

        /** All model parameters saved in (and restored from) checkpoints; default: the trainable ones. */
        public Builder<B> optModelParameters(Map<String, Parameter> all) { this.modelParams = all; return this; }

        public Builder<B> optEval(EvalFunction eval) { this.eval = eval; return this; }

        public Builder<B> optListener(TrainingListener listener) { this.listener = listener; return this; }

        /** The resolved config written to config.json; default: the {@link TrainingArgs}. */
        public Builder<B> optRunConfig(Object config) { this.runConfig = config; return this; }

        /** Overrides {@link AdamW#DEFAULT_DECAY}. */
        public Builder<B> optDecayRule(java.util.function.BiPredicate<String, ai.djl.ndarray.types.Shape> rule) {
            this.decayRule = rule;
            return this;
        }

        /** Sinks that get every step and logged line besides metrics.jsonl and the progress bar. */
        public Builder<B> optSinks(List<MetricsSink> more) {
            sinks.addAll(more);
            return this;
        }

        public TrainingEngine<B> build() {
            if (trainable == null || args == null || data == null || loss == null) {
                throw new IllegalStateException("TrainingEngine needs parameters, args, data and loss; missing: "
                        + (trainable == null ? "parameters " : "") + (args == null ? "args " : "")
                        + (data == null ? "data " : "") + (loss == null ? "loss" : ""));
            }
            if (modelParams != null && !modelParams.keySet().containsAll(trainable.keySet())) {
                throw new IllegalArgumentException("model parameters must include every trainable parameter");
            }
            return new TrainingEngine<>(this);
        }
    }
}
