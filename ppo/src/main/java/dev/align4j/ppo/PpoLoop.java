package dev.align4j.ppo;

import dev.align4j.rl.PromptSet;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.io.Json;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.JsonlSink;
import dev.align4j.core.run.MetricsSink;
import dev.align4j.core.run.MetricsSinks;
import dev.align4j.core.run.NonFiniteGuard;
import dev.align4j.core.run.RunFiles;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.MetricsLog;
import dev.align4j.core.train.TrainState;
import dev.align4j.core.train.TrainingArgs;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PPO's iteration loop inside {@link PpoRun#fit}: config.json and run.json ({@link RunFiles}),
 * resume, one {@link PpoIteration} per step, the sinks, the non-finite guard, Ctrl-C, and
 * checkpoints in the engine's format ({@code Checkpoint.save} with the shared optimizer step: weights
 * of {@code policy.*} and {@code critic.*}, AdamW state, loss_scaler.json) plus {@value #KL_FILE}.
 * Every random choice of iteration k is a pure function of (seed, k), so seed and k are the whole
 * RNG state.
 */
final class PpoLoop {

    private static final Logger LOG = LogManager.getLogger(PpoLoop.class);

    /** Checkpoint file with the adaptive KL coefficient for the next iteration. */
    static final String KL_FILE = "kl_controller.json";

    /** {@value #KL_FILE}. */
    record KlState(@JsonProperty("kl_coef") double klCoef) {
    }

    /** What the loop did. */
    record Outcome(long done, Map<String, Double> first, Map<String, Double> last, double[] timing,
            Path lastCheckpoint, boolean interrupted) {
    }

    private final PpoRun run;
    private final TrainingArgs args;
    private final PeftConfig peft;
    private final PpoConfig cfg;
    private final PromptSet prompts;
    private final PpoIteration it;
    private final Map<String, Parameter> weights;
    private final long iterations;
    private final Path out;
    private final long start = System.nanoTime();
    private double wallBefore;
    private Path lastCheckpoint;

    PpoLoop(PpoRun run, TrainingArgs args, PeftConfig peft, PpoConfig cfg, PromptSet prompts, PpoIteration it,
            Map<String, Parameter> weights) {
        this.run = run;
        this.args = args;
        this.peft = peft;
        this.cfg = cfg;
        this.prompts = prompts;
        this.it = it;
        this.weights = weights;
        this.iterations = run.plannedSteps();
        this.out = run.outputDir();
    }

    Outcome run(List<MetricsSink> extra) {
        Path resumeFrom = RunFiles.validate(args);
        Map<String, Object> info = RunFiles.runInfo(args.seed(), prompts.dataHash());
        info.put("prompts", prompts.size());
        info.put("iterations", iterations);
        info.put("trainable_parameters", it.trainable().values().stream().mapToLong(p -> p.getArray().size()).sum());
        info.put("device", it.trainable().values().iterator().next().getArray().getDevice().toString());
        info.put("resumed_from", resumeFrom == null ? null : resumeFrom.toString());
        RunFiles.start(out, ConfigLoader.toTree(args, peft, cfg), info);
        long done = resumeFrom == null ? 0 : resume(resumeFrom);
        NonFiniteGuard guard = new NonFiniteGuard(out);
        Map<String, Double> first = null;
        Map<String, Double> last = Map.of();
        double[] timing = new double[3];
        boolean interrupted = false;
        try (MetricsSinks sinks = MetricsSinks.standard(out, iterations, "score", extra)) {
            while (done < iterations && !interrupted) {
                int[] idx = prompts.batchIndices(args.seed(), done, cfg.rolloutBatchSize());
                last = it.run(prompts.select(idx), args.seed(), done).metrics();
                done++;
                guard.check(done, last);
                first = first == null ? last : first;
                timing[0] += last.get("generation_s");
                timing[1] += last.get("scoring_s");
                timing[2] += last.get("training_s");
                sinks.step(done, last);
                sinks.log(done, line(done, last));
                LOG.info("iteration {}/{}: score {} kl {} policy_loss {} value_loss {}", done, iterations,
                        fmt(last.get("score")), fmt(last.get("kl")), fmt(last.get("policy_loss")),
                        fmt(last.get("value_loss")));
                interrupted = Interrupts.requested() && done < iterations;
                if (interrupted || done == iterations || (args.saveSteps() > 0 && done % args.saveSteps() == 0)) {
                    sinks.sync();
                    save(done, last);
                }
            }
        }
        return new Outcome(done, first == null ? Map.of() : first, last, timing, lastCheckpoint, interrupted);
    }

    /** metrics.jsonl's line for iteration {@code done} (step is added by the sink). */
    private Map<String, Double> line(long done, Map<String, Double> m) {
        Map<String, Double> line = new LinkedHashMap<>();
        line.put("episodes", (double) done * cfg.rolloutBatchSize());
        line.put("epoch", epoch(done));
        line.putAll(m);
        line.put("elapsed_s", elapsed());
        return line;
    }

    private long resume(Path dir) {
        TrainState s = Checkpoint.restore(dir, weights, it.optimizerStep(), it.trainable().values().iterator().next()
                .getArray().getManager());
        it.kl().set(Json.read(dir.resolve(KL_FILE), KlState.class).klCoef());
        wallBefore = s.wallTimeS();
        lastCheckpoint = dir;
        if (!prompts.dataHash().equals(s.dataHash())) {
            LOG.warn("resuming on different prompts: checkpoint data_hash {} vs {}", s.dataHash(), prompts.dataHash());
        }
        MetricsLog.truncateAfter(out.resolve(JsonlSink.FILE), s.step());
        LOG.info("resumed from {} at iteration {}", dir, s.step());
        return s.step();
    }

    private void save(long done, Map<String, Double> last) {
        TrainState s = TrainState.builder().step(done).epoch(epoch(done)).seed(args.seed())
                .lr(last.getOrDefault("lr", 0.0)).totalSteps(iterations).dataHash(prompts.dataHash())
                .wallTimeS(elapsed()).build();
        lastCheckpoint = Checkpoint.save(Checkpoint.dir(out), s, weights, it.optimizerStep(),
                tmp -> Json.write(tmp.resolve(KL_FILE), new KlState(it.kl().value())));
        Checkpoint.prune(Checkpoint.dir(out), args.saveTotalLimit(), -1);
        LOG.info("checkpoint {}", lastCheckpoint);
    }

    private double epoch(long done) {
        return (double) done * cfg.rolloutBatchSize() / prompts.size();
    }

    private double elapsed() {
        return wallBefore + (System.nanoTime() - start) / 1e9;
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
