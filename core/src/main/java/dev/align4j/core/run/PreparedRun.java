package dev.align4j.core.run;

import java.nio.file.Path;

/**
 * A run of any method with every input read and checked and nothing written yet: what
 * {@code XTrainer.prepare(...)} returns. A bad input has already thrown a
 * {@code UserInputException}; {@link #train()} creates the run folder and goes through the
 * lifecycle ({@link RunLifecycle}). Owns the models it loaded: close it.
 *
 * <pre>{@code
 * try (PreparedRun run = DpoTrainer.prepare(args, peft, cfg)) {
 *     RunLogging.attach(run.outputDir());
 *     RunResult r = run.addSink(mySink).train();
 * }
 * }</pre>
 */
public interface PreparedRun extends AutoCloseable {

    /** The run folder train() will write (output_dir). */
    Path outputDir();

    /** Planned optimizer steps (PPO: iterations). */
    long plannedSteps();

    /** Adds a sink that receives every step and every logged line (before {@link #train()}). */
    PreparedRun addSink(MetricsSink sink);

    /** Trains, checkpoints and exports; see {@link RunLifecycle}. */
    RunResult train();

    /** Frees the models. */
    @Override
    void close();
}
