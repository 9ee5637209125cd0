package dev.align4j.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.Autocast;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.align4j.core.math.Ops;

/**
 * The one training loop that SFT, reward modelling, DPO and PPO reuse. Each optimizer step:
 *
 * <ol>
 *   <li>reseeds the engine RNG from (seed, step), so dropout masks do not depend on where a run
 *       was resumed;
 *   <li>for each of A = gradient_accumulation_steps micro-batches, inside a sub-manager and an
 *       {@code NDScope} (gradient handles and ops on parameters would otherwise attach to the
 *       parameters' manager and leak): builds the batch, opens the JVM's single
 *       {@code GradientCollector}, runs the {@link LossFunction} and backpropagates loss / A;
 *   <li>clips the global gradient norm, takes an {@link AdamW} step at the scheduled rate and
 *       zeroes the gradients.
 * </ol>
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
 * 2018): the loss function and eval run inside an {@link Autocast} region in which the model
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
    public static final String SCALER_FILE = "loss_scaler.json";

    private static final Logger LOG = LogManager.getLogger(TrainingEngine.class);

    private final Map<String, Parameter> trainable;
    private final Map<String, Parameter> modelParams;
    private final TrainingArgs args;
    private final BatchSource<B> data;
    private final LossFunction<B> loss;
    private final EvalFunction eval;
    private final TrainingListener listener;
    private final Object runConfig;
    private final AdamW.Config adamConfig;

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
    }

    public static <B> Builder<B> builder() {
        return new Builder<>();
    }

    /** Trains to the planned number of steps (or until a listener stops it); see the class doc. */
    public TrainResult run() {
        // validate everything before anything is written (DESIGN.md: no output for a bad run)
        Path out = Path.of(args.outputDir());
        Path ckptDir = Checkpoint.dir(out);
        Path resumeFrom = args.resumeFromCheckpoint() == null ? null
                : Checkpoint.resolve(args.resumeFromCheckpoint(), out);
        Device device = Devices.resolve(args.device());
        checkParameters(device);
        long perEpoch = data.batchesPerEpoch();
        if (perEpoch < 1) {
            throw new IllegalArgumentException("batch source has no batches (batchesPerEpoch = " + perEpoch + ")");
        }
        long total = args.totalSteps(perEpoch);
        LrSchedule schedule = args.schedule(total);
        warnPrecision(device);

        Json.write(out.resolve("config.json"), runConfig);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", args.seed());
        run.put("data_hash", data.dataHash());
        run.put("project_version", version());
        run.put("started_at", Instant.now().toString());
        run.put("dataset_size", data.size());
        run.put("batches_per_epoch", perEpoch);
        run.put("total_steps", total);
        run.put("trainable_parameters", trainable.values().stream().mapToLong(p -> p.getArray().size()).sum());
        run.put("device", device.toString());
        run.put("resumed_from", resumeFrom == null ? null : resumeFrom.toString());
        Json.write(out.resolve("run.json"), run);
        Checkpoint.cleanTemporaries(ckptDir);

        Engine.getInstance().setRandomSeed((int) args.seed());
        try (NDManager base = NDManager.newBaseManager(device);
                AdamW optimizer = new AdamW(trainable, adamConfig)) {
            Loop loop = new Loop(base, optimizer, schedule, total, perEpoch, out);
            if (resumeFrom != null) {
                loop.resume(resumeFrom);
            }
            TrainResult result = loop.train();
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

    static String version() {
        return dev.align4j.core.Version.project();
    }

    /** Reads a scalar array as a double (any float dtype; fp16 via fp32). */
    static double scalar(NDArray a) {
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        if (v.length != 1) {
            throw new IllegalArgumentException("expected a scalar, got shape " + a.getShape());
        }
        return v[0];
    }

    /** Mutable state of one {@link #run()}. */
    private final class Loop {
        private final NDManager base;
        private final AdamW optimizer;
        private final LrSchedule schedule;
        private final long total;
        private final long perEpoch;
        private final Path out;
        private final Path ckptDir;
        private final int accum = args.gradientAccumulationSteps();
        private long step;
        private long microBatch;
        private double wallBefore;
        private long startNanos = System.nanoTime();
        private long bestStep = -1;
        private double bestValue = Double.NaN;
        private double lastLr;
        private double lastLoss = Double.NaN;
        private Path lastCheckpoint;
        private final MetricsWindow window = new MetricsWindow();
        private final LossScaler scaler = args.fp16() ? new LossScaler(args.fp16InitialScale()) : null;
        private final MixedPrecision half;

        Loop(NDManager base, AdamW optimizer, LrSchedule schedule, long total, long perEpoch, Path out) {
            this.base = base;
            this.optimizer = optimizer;
            this.schedule = schedule;
            this.total = total;
            this.perEpoch = perEpoch;
            this.out = out;
            this.ckptDir = Checkpoint.dir(out);
            this.half = args.fp16() ? new MixedPrecision(trainable.values(), base) : null;
        }

        void resume(Path dir) {
            TrainState s = Checkpoint.readState(dir);
            try (NDManager scratch = base.newSubManager()) {
                Checkpoint.restoreWeights(dir, modelParams, scratch);
                Checkpoint.restoreOptimizer(dir, optimizer, scratch);
            }
            if (scaler != null) {
                Path f = dir.resolve(SCALER_FILE);
                if (java.nio.file.Files.isRegularFile(f)) {
                    ScalerState st = Json.read(f, ScalerState.class);
                    scaler.restore(st.scale(), st.goodSteps(), st.skippedSteps());
                } else {
                    LOG.warn("{} has no {}: the fp16 loss scale restarts at {}", dir, SCALER_FILE, scaler.scale());
                }
            }
            long skippedSteps = scaler == null ? 0 : scaler.skipped();
            if (optimizer.stepCount() + skippedSteps != s.step()) {
                throw new IllegalStateException(dir + ": optimizer step " + optimizer.stepCount()
                        + " does not match state.json step " + s.step());
            }
            if (s.seed() != args.seed()) {
                LOG.warn("resuming a run made with seed {} using seed {}: data order differs", s.seed(), args.seed());
            }
            if (!s.dataHash().equals(data.dataHash())) {
                LOG.warn("resuming on different data: checkpoint data_hash {} vs {}", s.dataHash(), data.dataHash());
            }
            step = s.step();
            microBatch = s.microBatch();
            wallBefore = s.wallTimeS();
            lastLr = s.lr();
            lastCheckpoint = dir;
            if (s.bestStep() >= 0 && s.bestValue() != null && args.metricForBestModel().equals(s.bestMetric())) {
                bestStep = s.bestStep();
                bestValue = s.bestValue();
            }
            MetricsLog.truncateAfter(out.resolve("metrics.jsonl"), step);
            LOG.info("resumed from {} at step {} (micro-batch {})", dir, step, microBatch);
        }

        TrainResult train() {
            ProgressBar bar = ProgressBar.forConsole(total);
            try (MetricsLog log = new MetricsLog(out.resolve("metrics.jsonl"))) {
                boolean go = true;
                while (step < total && go) {
                    Map<String, Double> m = oneStep();
                    go = listener.onStep(step, m);
                    if (bar != null) {
                        bar.update(step, m.get("loss"), lastLr, window.stepsPerSecond());
                    }
                    boolean last = step == total || !go;
                    if (step % args.loggingSteps() == 0 || last) {
                        log.append(window.flush(step, epoch(), elapsed()));
                    }
                    boolean improved = false;
                    if (eval != null && ((args.evalSteps() > 0 && step % args.evalSteps() == 0) || last)) {
                        improved = evaluate(log);
                    }
                    if (improved || last || (args.saveSteps() > 0 && step % args.saveSteps() == 0)) {
                        log.sync();
                        save();
                    }
                }
            }
            if (bar != null) {
                bar.finish();
            }
            Path best = bestStep < 0 ? null : ckptDir.resolve("step-" + bestStep);
            return new TrainResult(step, lastLoss, lastCheckpoint, best, bestValue);
        }

        private Map<String, Double> oneStep() {
            Engine.getInstance().setRandomSeed((int) DataOrder.mix(args.seed(), step));
            double lr = schedule.lr(step);
            double stepLoss = 0;
            Map<String, Double> metrics = new LinkedHashMap<>();
            long tokens = 0;
            for (int a = 0; a < accum; a++) {
                long epochIdx = microBatch / perEpoch;
                long index = microBatch % perEpoch;
                try (NDManager mgr = base.newSubManager(); NDScope scope = new NDScope()) {
                    B batch = data.batch(args.seed(), epochIdx, index, mgr);
                    StepOutput o;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        if (half == null) {
                            o = loss.compute(batch, mgr);
                        } else {
                            try (Autocast ac = half.open(mgr, true)) {
                                o = loss.compute(batch, mgr);
                            }
                        }
                        float factor = (float) ((scaler == null ? 1.0 : scaler.scale()) / accum);
                        gc.backward(factor == 1f ? o.loss() : Ops.mul(o.loss(), factor));
                    }
                    if (half != null) {
                        half.moveGradients();
                    }
                    double l = scalar(o.loss());
                    if (!Double.isFinite(l)) {
                        throw new IllegalStateException("loss is " + l + " at step " + (step + 1)
                                + " (epoch " + epochIdx + ", micro-batch " + index + ")");
                    }
                    stepLoss += l / accum;
                    o.arrayMetrics().forEach((k, v) -> metrics.merge(k, scalar(v) / accum, Double::sum));
                    o.valueMetrics().forEach((k, v) -> metrics.merge(k, v / accum, Double::sum));
                    long t = data.tokenCount(batch);
                    tokens = t < 0 || tokens < 0 ? -1 : tokens + t;
                    scope.suppressNotUsedWarning();
                }
                microBatch++;
            }
            double gradNorm;
            try (NDScope scope = new NDScope()) {
                List<NDArray> grads = new ArrayList<>();
                for (Parameter p : trainable.values()) {
                    if (p.getArray().hasGradient()) {
                        grads.add(p.getArray().getGradient());
                    }
                }
                if (scaler == null) {
                    gradNorm = GradClip.clipGlobalNorm(grads, args.maxGradNorm());
                    optimizer.step(lr);
                } else {
                    scaler.unscale(grads);
                    gradNorm = GradClip.globalNorm(grads);
                    if (scaler.update(Double.isFinite(gradNorm))) {
                        GradClip.clip(grads, args.maxGradNorm(), gradNorm);
                        optimizer.step(lr);
                    } else {
                        LOG.info("step {}: fp16 gradient overflow, step skipped, loss scale now {}",
                                step + 1, scaler.scale());
                        optimizer.zeroGrad();
                    }
                }
                scope.suppressNotUsedWarning();
            }
            step++;
            lastLr = lr;
            lastLoss = stepLoss;
            Map<String, Double> result = new LinkedHashMap<>();
            result.put("loss", stepLoss);
            result.put("lr", lr);
            if (Double.isFinite(gradNorm) || scaler == null) {
                result.put("grad_norm", gradNorm);
            } // else: an fp16 overflow, the step was skipped and its norm means nothing (skipped_steps counts it)
            if (scaler != null) {
                result.put("loss_scale", scaler.scale());
                result.put("skipped_steps", (double) scaler.skipped());
            }
            result.putAll(metrics);
            window.add(result, tokens);
            return result;
        }

        /** Runs eval, logs it, and reports whether metric_for_best_model improved. */
        private boolean evaluate(MetricsLog log) {
            Map<String, Double> m;
            try (NDManager mgr = base.newSubManager(); NDScope scope = new NDScope()) {
                if (half == null) {
                    m = new LinkedHashMap<>(eval.evaluate(step, mgr));
                } else {
                    try (Autocast ac = half.open(mgr, false)) {
                        m = new LinkedHashMap<>(eval.evaluate(step, mgr));
                    }
                }
                scope.suppressNotUsedWarning();
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", step);
            line.put("epoch", epoch());
            line.putAll(m);
            log.append(line);
            Double v = m.get(args.metricForBestModel());
            if (v == null) {
                LOG.warn("eval returned no '{}' (got {}): best checkpoint not tracked", args.metricForBestModel(), m.keySet());
                return false;
            }
            boolean better = bestStep < 0 || (args.greaterIsBetter() ? v > bestValue : v < bestValue);
            if (better) {
                bestStep = step;
                bestValue = v;
            }
            return better;
        }

        private void save() {
            TrainState s = new TrainState(step, epoch(), microBatch, args.seed(), lastLr, total, data.dataHash(),
                    version(), elapsed(), Instant.now().toString(), bestStep, args.metricForBestModel(),
                    bestStep < 0 ? null : bestValue);
            Map<String, NDArray> optState = optimizer.stateDict();
            try {
                lastCheckpoint = Checkpoint.save(ckptDir, s, Checkpoint.arrays(modelParams), optState,
                        tmp -> {
                            if (scaler != null) {
                                Json.write(tmp.resolve(SCALER_FILE),
                                        new ScalerState(scaler.scale(), scaler.goodSteps(), scaler.skipped()));
                            }
                            listener.writeCheckpointExtras(tmp, step);
                        });
            } finally {
                optState.get("step").close(); // a fresh array per call; m and v are live state
            }
            Checkpoint.prune(ckptDir, args.saveTotalLimit(), bestStep);
            LOG.info("checkpoint {} (loss {})", lastCheckpoint, lastLoss);
        }

        private double epoch() {
            return (double) microBatch / perEpoch;
        }

        private double elapsed() {
            return wallBefore + (System.nanoTime() - startNanos) / 1e9;
        }
    }

    /** {@code loss_scaler.json} in a checkpoint. */
    record ScalerState(@com.fasterxml.jackson.annotation.JsonProperty("scale") double scale,
            @com.fasterxml.jackson.annotation.JsonProperty("good_steps") int goodSteps,
            @com.fasterxml.jackson.annotation.JsonProperty("skipped_steps") long skippedSteps) {
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
