package dev.align4j.rl;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.run.JsonlSink;
import dev.align4j.core.run.MetricsSink;
import dev.align4j.core.run.MetricsSinks;
import dev.align4j.core.run.NonFiniteGuard;
import dev.align4j.core.run.RunFiles;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.MetricsLog;
import dev.align4j.core.train.OptimizerStep;
import dev.align4j.core.train.TrainState;
import dev.align4j.core.train.TrainingArgs;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The iteration loop every on-policy method (PPO, GRPO, RLOO, REINFORCE++) runs inside its
 * {@code RunLifecycle.fit}: config.json and run.json ({@link RunFiles}), resume, one
 * {@link Iteration} per step on the prompts {@link PromptSet#batchIndices} picks, the sinks, the
 * non-finite guard, Ctrl-C, and checkpoints in the engine's format ({@code Checkpoint.save} with the
 * method's {@link OptimizerStep}: weights, AdamW state, loss_scaler.json, plus whatever the method
 * adds with {@link Iteration#saveExtra}). Every random choice of iteration k must be a pure function
 * of (seed, k), so seed and k are the whole RNG state and a resumed run equals a straight one.
 */
public final class OnPolicyLoop {

    /**
     * The run length every on-policy trainer uses, in iterations of {@code rolloutBatchSize} prompts:
     * {@code totalEpisodes} (TRL's) rounded up when set, else {@code maxSteps} when &gt; 0, else
     * {@code numTrainEpochs} passes over {@code promptCount} prompts (at least one iteration).
     */
    public static long runLength(Long totalEpisodes, int rolloutBatchSize, int promptCount, long maxSteps,
            double numTrainEpochs) {
        if (totalEpisodes != null) {
            return (totalEpisodes + rolloutBatchSize - 1) / rolloutBatchSize;
        }
        if (maxSteps > 0) {
            return maxSteps;
        }
        return Math.max(1, (long) Math.ceil(numTrainEpochs * promptCount / rolloutBatchSize));
    }

    private static final Logger LOG = LogManager.getLogger(OnPolicyLoop.class);

    /** One iteration of a method: sample, score, update. */
    public interface Iteration {

        /**
         * Runs iteration {@code iteration} (0-based) on the prompts at {@code promptIndices}.
         *
         * @return its metrics, including {@code generation_s}, {@code scoring_s} and {@code training_s}
         */
        Map<String, Double> run(int[] promptIndices, long seed, long iteration);

        /** The optimizer step whose AdamW state and loss scaler checkpoints hold. */
        OptimizerStep optimizerStep();

        /** Writes method state beside the weights (e.g. the adaptive KL coefficient) into {@code tmp}. */
        default void saveExtra(Path tmp) {
        }

        /** Reads what {@link #saveExtra} wrote into checkpoint {@code dir}. */
        default void restoreExtra(Path dir) {
        }
    }

    /**
     * What the loop runs.
     *
     * @param args the training arguments (seed, output_dir, save_steps, resume)
     * @param config the run's config parts, written to config.json
     * @param prompts the prompt dataset
     * @param promptsPerIteration prompts drawn per iteration
     * @param iterations the iterations planned in total
     * @param weights every weight a checkpoint holds, by name
     * @param trainable the parameters the optimizer updates (counted in run.json)
     * @param progressKey the metric the progress bar shows
     * @param logKeys the metrics of the per-iteration log line
     * @param info more run.json entries
     */
    public record Setup(TrainingArgs args, Object config, PromptSet prompts, int promptsPerIteration, long iterations,
            Map<String, Parameter> weights, Map<String, Parameter> trainable, String progressKey,
            List<String> logKeys, Map<String, Object> info) {
    }

    /** What the loop did. */
    public record Outcome(long done, Map<String, Double> first, Map<String, Double> last, double[] timing,
            Path lastCheckpoint, boolean interrupted) {
    }

    private final Setup s;
    private final Iteration it;
    private final Path out;
    private final long start = System.nanoTime();
    private double wallBefore;
    private Path lastCheckpoint;
    private long bestStep = -1;
    private double bestValue = Double.NaN;

    public OnPolicyLoop(Setup setup, Iteration iteration) {
        this.s = setup;
        this.it = iteration;
        this.out = Path.of(setup.args().outputDir());
    }

    /** Runs the remaining iterations; {@code extra} sinks get every metrics line too. */
    public Outcome run(List<MetricsSink> extra) {
        TrainingArgs args = s.args();
        Path resumeFrom = RunFiles.validate(args);
        RunFiles.start(out, s.config(), info(resumeFrom));
        long done = resumeFrom == null ? 0 : resume(resumeFrom);
        NonFiniteGuard guard = new NonFiniteGuard(out);
        Map<String, Double> first = null;
        Map<String, Double> last = Map.of();
        double[] timing = new double[3];
        boolean interrupted = false;
        try (MetricsSinks sinks = MetricsSinks.standard(out, s.iterations(), s.progressKey(), extra)) {
            while (done < s.iterations() && !interrupted) {
                int[] idx = s.prompts().batchIndices(args.seed(), done, s.promptsPerIteration());
                last = it.run(idx, args.seed(), done);
                done++;
                guard.check(done, last);
                first = first == null ? last : first;
                timing[0] += last.getOrDefault("generation_s", 0.0);
                timing[1] += last.getOrDefault("scoring_s", 0.0);
                timing[2] += last.getOrDefault("training_s", 0.0);
                sinks.step(done, last);
                sinks.log(done, line(done, last));
                LOG.info("iteration {}/{}:{}", done, s.iterations(), summary(last));
                interrupted = Interrupts.requested() && done < s.iterations();
                if (interrupted || done == s.iterations() || (args.saveSteps() > 0 && done % args.saveSteps() == 0)) {
                    sinks.sync();
                    save(done, last);
                }
            }
        }
        return new Outcome(done, first == null ? Map.of() : first, last, timing, lastCheckpoint, interrupted);
    }

    private Map<String, Object> info(Path resumeFrom) {
        Map<String, Object> info = RunFiles.runInfo(s.args().seed(), s.prompts().dataHash());
        info.put("prompts", s.prompts().size());
        info.put("iterations", s.iterations());
        info.put("trainable_parameters", s.trainable().values().stream().mapToLong(p -> p.getArray().size()).sum());
        info.put("device", s.trainable().values().iterator().next().getArray().getDevice().toString());
        info.putAll(s.info());
        info.put("resumed_from", resumeFrom == null ? null : resumeFrom.toString());
        return info;
    }

    /** metrics.jsonl's line for iteration {@code done} (step is added by the sink). */
    private Map<String, Double> line(long done, Map<String, Double> m) {
        Map<String, Double> line = new LinkedHashMap<>();
        line.put("episodes", (double) done * s.promptsPerIteration());
        line.put("epoch", epoch(done));
        line.putAll(m);
        line.put("elapsed_s", elapsed());
        return line;
    }

    private String summary(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        for (String k : s.logKeys()) {
            Double v = m.get(k);
            sb.append(' ').append(k).append(' ').append(v == null ? "-" : String.format(Locale.ROOT, "%.4f", v));
        }
        return sb.toString();
    }

    private long resume(Path dir) {
        NDManager manager = s.trainable().values().iterator().next().getArray().getManager();
        TrainState st = Checkpoint.restore(dir, s.weights(), it.optimizerStep(), manager);
        it.restoreExtra(dir);
        wallBefore = st.wallTimeS();
        lastCheckpoint = dir;
        if (st.bestStep() >= 0 && st.bestValue() != null && s.args().metricForBestModel().equals(st.bestMetric())) {
            bestStep = st.bestStep();
            bestValue = st.bestValue();
        }
        if (!s.prompts().dataHash().equals(st.dataHash())) {
            LOG.warn("resuming on different prompts: checkpoint data_hash {} vs {}", st.dataHash(),
                    s.prompts().dataHash());
        }
        MetricsLog.truncateAfter(out.resolve(JsonlSink.FILE), st.step());
        LOG.info("resumed from {} at iteration {}", dir, st.step());
        return st.step();
    }

    /**
     * Writes checkpoint {@code done}. With metric_for_best_model naming an iteration metric (e.g.
     * {@code reward}, with greater_is_better: true) the checkpoint where it was best among the saved
     * ones is kept by save_total_limit's pruning, as the engine keeps its best eval checkpoint.
     */
    private void save(long done, Map<String, Double> last) {
        Double v = last.get(s.args().metricForBestModel());
        if (v != null && Double.isFinite(v)
                && (bestStep < 0 || (s.args().greaterIsBetter() ? v > bestValue : v < bestValue))) {
            bestStep = done;
            bestValue = v;
        }
        TrainState.Builder b = TrainState.builder().step(done).epoch(epoch(done)).seed(s.args().seed())
                .lr(last.getOrDefault("lr", 0.0)).totalSteps(s.iterations()).dataHash(s.prompts().dataHash())
                .wallTimeS(elapsed());
        if (bestStep >= 0) {
            b.best(bestStep, s.args().metricForBestModel(), bestValue);
        }
        lastCheckpoint = Checkpoint.save(Checkpoint.dir(out), b.build(), s.weights(), it.optimizerStep(),
                it::saveExtra);
        Checkpoint.prune(Checkpoint.dir(out), s.args().saveTotalLimit(), bestStep);
        LOG.info("checkpoint {}", lastCheckpoint);
    }

    private double epoch(long done) {
        return (double) done * s.promptsPerIteration() / s.prompts().size();
    }

    private double elapsed() {
        return wallBefore + (System.nanoTime() - start) / 1e9;
    }
}
