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

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>fp16: accepted for compatibility with HF configs but the engine trains parameters in the
 * dtype the caller initialised them in. On CPU it logs that fp32 is used (fp16 kernels are about
 * 150x slower there, DJL_NOTES.md); on GPU, mixed precision (fp32 master weights plus loss
 * scaling) is not implemented, which is logged too. bf16 is not offered: it crashes DJL 0.35.1.
 *
 * @param <B> batch type shared by the {@link BatchSource} and the {@link LossFunction}
 */
public final class TrainingEngine<B> {

    /** Keys the engine writes itself; method metrics may not use them. */
    public static final Set<String> RESERVED =
            Set.of("step", "epoch", "loss", "lr", "grad_norm", "tokens_per_s", "elapsed_s");

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
            LOG.warn("fp16: parameters train in the dtype they were initialised in; mixed precision "
                    + "(fp32 master weights + loss scaling) is not implemented");
        } else {
            LOG.warn("fp16 requested on CPU: training in fp32 (fp16 kernels are ~150x slower on CPU)");
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

        Loop(NDManager base, AdamW optimizer, LrSchedule schedule, long total, long perEpoch, Path out) {
            this.base = base;
            this.optimizer = optimizer;
            this.schedule = schedule;
            this.total = total;
            this.perEpoch = perEpoch;
            this.out = out;
            this.ckptDir = Checkpoint.dir(out);
        }

        void resume(Path dir) {
            TrainState s = Checkpoint.readState(dir);
            try (NDManager scratch = base.newSubManager()) {
                Checkpoint.restoreWeights(dir, modelParams, scratch);
                Checkpoint.restoreOptimizer(dir, optimizer, scratch);
            }
            if (optimizer.stepCount() != s.step()) {
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
                        o = loss.compute(batch, mgr);
                        gc.backward(accum == 1 ? o.loss() : o.loss().div(accum));
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
                gradNorm = GradClip.clipGlobalNorm(grads, args.maxGradNorm());
                optimizer.step(lr);
                scope.suppressNotUsedWarning();
            }
            step++;
            lastLr = lr;
            lastLoss = stepLoss;
            Map<String, Double> result = new LinkedHashMap<>();
            result.put("loss", stepLoss);
            result.put("lr", lr);
            result.put("grad_norm", gradNorm);
            result.putAll(metrics);
            window.add(result, tokens);
            return result;
        }

        /** Runs eval, logs it, and reports whether metric_for_best_model improved. */
        private boolean evaluate(MetricsLog log) {
            Map<String, Double> m;
            try (NDManager mgr = base.newSubManager(); NDScope scope = new NDScope()) {
                m = new LinkedHashMap<>(eval.evaluate(step, mgr));
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
                        tmp -> listener.writeCheckpointExtras(tmp, step));
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
