package dev.align4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;

import dev.align4j.core.config.Interrupts;
import dev.align4j.core.model.Autocast;
import dev.align4j.core.run.JsonlSink;
import dev.align4j.core.run.MetricsSinks;
import dev.align4j.core.run.NonFiniteGuard;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The mutable state of one {@link TrainingEngine#run()}: resume, steps, eval, checkpoints. */
final class TrainLoop<B> {

    private static final Logger LOG = LogManager.getLogger(TrainLoop.class);

    private final TrainingEngine<B> e;
    private final TrainingArgs args;
    private final NDManager base;
    private final OptimizerStep optimizer;
    private final LrSchedule schedule;
    private final long total;
    private final long perEpoch;
    private final Path out;
    private final Path ckptDir;
    private final NonFiniteGuard guard;
    private final int accum;
    private final MetricsWindow window = new MetricsWindow();
    private final long startNanos = System.nanoTime();
    private long step;
    private long microBatch;
    private double wallBefore;
    private long bestStep = -1;
    private double bestValue = Double.NaN;
    private double lastLr;
    private double lastLoss = Double.NaN;
    private Map<String, Double> lastMetrics = Map.of();
    private Map<String, Double> lastEval = Map.of();
    private Path lastCheckpoint;

    TrainLoop(TrainingEngine<B> engine, NDManager base, OptimizerStep optimizer, LrSchedule schedule, long total,
            long perEpoch, Path out) {
        this.e = engine;
        this.args = engine.args;
        this.base = base;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.total = total;
        this.perEpoch = perEpoch;
        this.out = out;
        this.ckptDir = Checkpoint.dir(out);
        this.guard = new NonFiniteGuard(out);
        this.accum = args.gradientAccumulationSteps();
    }

    void resume(Path dir) {
        TrainState s = Checkpoint.restore(dir, e.modelParams, optimizer, base);
        if (optimizer.stepsDone() != s.step()) {
            throw new IllegalStateException(dir + ": optimizer step " + optimizer.optimizer().stepCount()
                    + " does not match state.json step " + s.step());
        }
        if (s.seed() != args.seed()) {
            LOG.warn("resuming a run made with seed {} using seed {}: data order differs", s.seed(), args.seed());
        }
        if (!s.dataHash().equals(e.data.dataHash())) {
            LOG.warn("resuming on different data: checkpoint data_hash {} vs {}", s.dataHash(), e.data.dataHash());
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
        MetricsLog.truncateAfter(out.resolve(JsonlSink.FILE), step);
        LOG.info("resumed from {} at step {} (micro-batch {})", dir, step, microBatch);
    }

    TrainResult train(MetricsSinks sinks) {
        boolean go = true;
        while (step < total && go) {
            Map<String, Double> m = oneStep();
            sinks.step(step, m);
            go = e.listener.onStep(step, m);
            if (Interrupts.requested()) {
                LOG.warn("stop requested: saving a checkpoint at step {}", step);
                go = false;
            }
            boolean last = step == total || !go;
            if (step % args.loggingSteps() == 0 || last) {
                sinks.log(step, window.flush(epoch(), elapsed()));
            }
            boolean improved = false;
            if (e.eval != null && ((args.evalSteps() > 0 && step % args.evalSteps() == 0) || last)) {
                improved = evaluate(sinks);
            }
            if (improved || last || (args.saveSteps() > 0 && step % args.saveSteps() == 0)) {
                sinks.sync();
                save();
            }
        }
        Path best = bestStep < 0 ? null : ckptDir.resolve("step-" + bestStep);
        return new TrainResult(step, lastLoss, lastCheckpoint, best, bestValue, lastMetrics, lastEval, step < total);
    }

    /** Accumulates A micro-batches, then the {@link OptimizerStep}; returns the step's values. */
    private Map<String, Double> oneStep() {
        Engine.getInstance().setRandomSeed((int) DataOrder.mix(args.seed(), step));
        double lr = schedule.lr(step);
        Map<String, Double> metrics = new LinkedHashMap<>();
        long[] tokens = {0};
        double stepLoss = 0;
        for (int a = 0; a < accum; a++) {
            stepLoss += microStep(metrics, tokens);
            microBatch++;
        }
        OptimizerStep.Outcome o = optimizer.apply(lr, step + 1);
        step++;
        lastLr = lr;
        lastLoss = stepLoss;
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("loss", stepLoss);
        result.put("lr", lr);
        if (o.taken()) {
            result.put("grad_norm", o.gradNorm());
        } // else: an fp16 overflow, the step was skipped and its norm means nothing (skipped_steps counts it)
        optimizer.putScalerMetrics(result);
        result.putAll(metrics);
        guard.check(step, result);
        window.add(result, tokens[0]);
        lastMetrics = result;
        return result;
    }

    /** Forward and backward of micro-batch {@link #microBatch}; returns its loss / A. */
    private double microStep(Map<String, Double> metrics, long[] tokens) {
        long epochIdx = microBatch / perEpoch;
        long index = microBatch % perEpoch;
        try (NDManager mgr = base.newSubManager(); NDScope scope = new NDScope()) {
            B batch = e.data.batch(args.seed(), epochIdx, index, mgr);
            StepOutput o;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                try (Autocast ac = optimizer.autocast(mgr, true)) {
                    o = e.loss.compute(batch, mgr);
                }
                optimizer.backward(gc, o.loss(), 1.0 / accum);
            }
            optimizer.afterBackward();
            double l = TrainingEngine.scalar(o.loss());
            if (!Double.isFinite(l)) {
                throw guard.failure("loss", l, "step " + (step + 1) + " (epoch " + epochIdx + ", micro-batch "
                        + index + ")");
            }
            o.arrayMetrics().forEach((k, v) -> metrics.merge(k, TrainingEngine.scalar(v) / accum, Double::sum));
            o.valueMetrics().forEach((k, v) -> metrics.merge(k, v / accum, Double::sum));
            long t = e.data.tokenCount(batch);
            tokens[0] = t < 0 || tokens[0] < 0 ? -1 : tokens[0] + t;
            scope.suppressNotUsedWarning();
            return l / accum;
        }
    }

    /** Runs eval, logs it, and reports whether metric_for_best_model improved. */
    private boolean evaluate(MetricsSinks sinks) {
        Map<String, Double> m;
        try (NDManager mgr = base.newSubManager(); NDScope scope = new NDScope()) {
            try (Autocast ac = optimizer.autocast(mgr, false)) {
                m = new LinkedHashMap<>(e.eval.evaluate(step, mgr));
            }
            scope.suppressNotUsedWarning();
        }
        guard.check(step, m);
        lastEval = m;
        Map<String, Double> line = new LinkedHashMap<>();
        line.put("epoch", epoch());
        line.putAll(m);
        sinks.log(step, line);
        Double v = m.get(args.metricForBestModel());
        if (v == null) {
            LOG.warn("eval returned no '{}' (got {}): best checkpoint not tracked", args.metricForBestModel(),
                    m.keySet());
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
        TrainState s = TrainState.builder().step(step).epoch(epoch()).microBatch(microBatch).seed(args.seed())
                .lr(lastLr).totalSteps(total).dataHash(e.data.dataHash()).wallTimeS(elapsed())
                .best(bestStep, args.metricForBestModel(), bestValue).build();
        lastCheckpoint = Checkpoint.save(ckptDir, s, e.modelParams, optimizer, tmp -> e.listener
                .writeCheckpointExtras(tmp, step));
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
