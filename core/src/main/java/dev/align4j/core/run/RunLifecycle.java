package dev.align4j.core.run;

import dev.align4j.core.config.Interrupts;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one run lifecycle, as a base class for every method's {@link PreparedRun}:
 *
 * <ol>
 *   <li><b>validate</b>: the subclass's {@code prepare} reads and checks every input and calls
 *       {@link RunFiles#validate} (output folder, resume point) before constructing it; nothing is
 *       written until {@link #train()};</li>
 *   <li><b>train</b> ({@link #fit}): the method creates the run folder with {@link RunFiles#start}
 *       (config.json, run.json), resumes from the checkpoint {@link RunFiles#validate} found, and
 *       trains (TrainingEngine, or PPO's iteration loop) with the checkpoint policy (save_steps,
 *       save_total_limit, best by metric_for_best_model), the sinks of {@link MetricsSinks#standard}
 *       plus {@link #extraSinks()}, the {@link NonFiniteGuard} and the Ctrl-C policy;</li>
 *   <li><b>Ctrl-C</b>: {@link #train()} is an {@code Interrupts.stoppable()} scope, so a SIGINT or
 *       SIGTERM sets the flag instead of ending the process; {@code Interrupts.requested()} is checked
 *       after every step; the loop writes a checkpoint and returns early; here the run ends
 *       {@link RunStatus#INTERRUPTED}, logs the exact command that resumes and exports nothing (no model/, adapter/, provenance.json or samples.jsonl), so the
 *       folder never looks like a finished model. The CLI exits 130;</li>
 *   <li><b>export</b> ({@link #export}): model/ (LoRA merged, {@link LoraExport}), adapter/,
 *       provenance.json ({@link Provenance}), samples.jsonl ({@link SamplesFile});</li>
 *   <li>a {@link RunResult}.</li>
 * </ol>
 */
public abstract class RunLifecycle implements PreparedRun {

    private static final Logger LOG = LogManager.getLogger(RunLifecycle.class);

    /** What {@link #fit} did. */
    public record Trained(long steps, Map<String, Double> metrics, Path lastCheckpoint, boolean interrupted) {
    }

    /** What {@link #export} wrote, and metrics measured on the final model (may be empty). */
    public record Exported(Path modelDir, Path adapterDir, Map<String, Double> metrics) {
    }

    private final Path outputDir;
    private final long plannedSteps;
    private final List<MetricsSink> extra = new ArrayList<>();

    protected RunLifecycle(Path outputDir, long plannedSteps) {
        this.outputDir = outputDir;
        this.plannedSteps = plannedSteps;
    }

    @Override
    public final Path outputDir() {
        return outputDir;
    }

    @Override
    public final long plannedSteps() {
        return plannedSteps;
    }

    @Override
    public final PreparedRun addSink(MetricsSink sink) {
        extra.add(sink);
        return this;
    }

    /** Sinks added by the caller, for the method's loop to pass on. */
    protected final List<MetricsSink> extraSinks() {
        return List.copyOf(extra);
    }

    @Override
    public final RunResult train() {
        // the loop checks the flag after every step: a signal from here on asks for a clean stop
        try (Interrupts.Scope stop = Interrupts.stoppable()) {
            return trainAndExport();
        }
    }

    private RunResult trainAndExport() {
        Trained t = fit();
        if (t.interrupted()) {
            LOG.warn("stopped at step {} of {}; checkpoint {}; no model was exported. To continue, run: {}",
                    t.steps(), plannedSteps, t.lastCheckpoint(), Interrupts.resumeCommand().orElse(
                            "the same command again with --resume (or resume_from_checkpoint: latest)"));
            return new RunResult(t.steps(), t.metrics(), outputDir, null, null, t.lastCheckpoint(),
                    RunStatus.INTERRUPTED);
        }
        Exported e = export(t);
        Map<String, Double> metrics = new LinkedHashMap<>(t.metrics());
        metrics.putAll(e.metrics());
        LOG.info("finished: {} steps; model in {}{}", t.steps(), e.modelDir(),
                e.adapterDir() == null ? "" : ", adapter in " + e.adapterDir());
        return new RunResult(t.steps(), metrics, outputDir, e.modelDir(), e.adapterDir(), t.lastCheckpoint(),
                RunStatus.FINISHED);
    }

    /** Creates the run folder, resumes, trains; see the class comment. */
    protected abstract Trained fit();

    /** Writes the final model and its files after a finished {@link #fit}. */
    protected abstract Exported export(Trained trained);
}
