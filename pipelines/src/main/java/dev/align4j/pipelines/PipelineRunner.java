package dev.align4j.pipelines;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.pipelines.stage.HumanInput;
import dev.align4j.pipelines.stage.StageOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs a validated {@link Pipeline}: each stage in order in {@code <output-dir>/<stage>/}, skipping
 * those the lock file records with the same config and input hashes, rerunning a changed stage and
 * every stage after it. A stage that was interrupted (no lock entry when the run started, not named
 * by {@code --from}, a {@value #MARKER} with the same hashes and a complete checkpoint) continues from
 * its latest checkpoint; any other unfinished
 * stage folder is deleted and the stage starts again, so a run's bytes do not depend on how often it
 * was stopped. A stage that needs human input it does not have yet ({@link
 * dev.align4j.pipelines.stage.Stage#awaiting}: the {@code annotate} stage's labels) stops the run
 * before anything of that stage is touched; the stages before it stay recorded, so the rerun
 * continues from it.
 */
public final class PipelineRunner {

    /** Written in a stage folder when the stage starts: the hashes it was started with. */
    public static final String MARKER = "pipeline-stage.json";

    private static final Logger LOG = LogManager.getLogger(PipelineRunner.class);

    /**
     * @param stage the stage's name
     * @param ran false when it was up to date and skipped
     * @param seconds wall time of this run (0 when skipped)
     */
    public record StageTime(String stage, boolean ran, double seconds, String summary) {
    }

    /**
     * @param interrupted stopped by Ctrl-C; rerunning continues
     * @param waiting the stage the run stopped before because it needs human input, or null
     */
    public record Result(List<StageTime> stages, boolean interrupted, Waiting waiting) {
        Result(List<StageTime> stages, boolean interrupted) {
            this(stages, interrupted, null);
        }

        /** True when the run stopped for human input (the CLI's exit 3). */
        public boolean waitingForInput() {
            return waiting != null;
        }
    }

    /** The stage a run stopped before, and what it needs. */
    public record Waiting(String stage, HumanInput input) {
    }

    private PipelineRunner() {
    }

    /**
     * @param from a stage to rerun (with everything after it) even when up to date, or null
     */
    public static Result run(Pipeline p, String from, PipelineListener listener) {
        if (from != null && p.stage(from).isEmpty()) {
            throw new UserInputException("--from: no stage named '" + from + "' in " + p.file());
        }
        createDir(p.outputDir());
        PipelineLock lock = PipelineLock.read(p.lockFile(), p.name());
        PipelineLock atStart = lock;
        List<StageTime> times = new ArrayList<>();
        boolean dirty = false;
        int n = p.stages().size();
        for (PlannedStage s : p.stages()) {
            dirty |= s.name().equals(from);
            StageHashes h = StageHashes.of(s);
            var entry = lock.entry(s.name());
            if (!dirty && entry.isPresent() && entry.get().matches(h) && Files.isDirectory(s.dir())) {
                listener.skipped(s, n);
                times.add(new StageTime(s.name(), false, 0, entry.get().summary()));
                continue;
            }
            Optional<HumanInput> need = s.adapter().awaiting(s.stageConfig(false));
            if (need.isPresent()) {
                LOG.info("{}: waiting for human input: {}", s.name(), need.get().progress());
                listener.waiting(s, n, need.get());
                return new Result(times, false, new Waiting(s.name(), need.get()));
            }
            String why = s.name().equals(from) ? "--from" : dirty ? "an earlier stage ran"
                    : entry.isPresent() ? "its config or inputs changed" : "not run yet";
            // only a stage that never finished continues from its checkpoints; a finished one that
            // runs again (--from, changed inputs) starts from scratch
            boolean mayResume = atStart.entry(s.name()).isEmpty() && !s.name().equals(from);
            dirty = true;
            // keep the stages before this one (by the file's order: a stage inserted into a pipeline
            // that already ran must not leave later entries behind it)
            lock = lock.retaining(p.stages().subList(0, s.index()).stream().map(PlannedStage::name).toList());
            lock.write(p.lockFile());
            forgetLaterStarts(p, s);
            if (Interrupts.requested()) {
                return new Result(times, true);
            }
            boolean resume = prepareDir(s, h, mayResume);
            listener.started(s, n, resume, resume ? "resuming from its last checkpoint" : why);
            long t0 = System.nanoTime();
            StageOutcome o = s.adapter().run(s.stageConfig(resume));
            double secs = (System.nanoTime() - t0) / 1e9;
            listener.finished(s, n, o, secs);
            if (o.interrupted()) {
                return new Result(times, true);
            }
            lock = lock.with(new PipelineLock.Entry(s.name(), s.kind().configName(), h.config(), h.inputs(),
                    o.steps(), secs, o.summary()));
            lock.write(p.lockFile());
            times.add(new StageTime(s.name(), true, secs, o.summary()));
        }
        return new Result(times, false);
    }

    /** The stages after {@code s} will run again: their old folders must not be resumed. */
    private static void forgetLaterStarts(Pipeline p, PlannedStage s) {
        for (PlannedStage later : p.stages().subList(s.index() + 1, p.stages().size())) {
            try {
                Files.deleteIfExists(later.dir().resolve(MARKER));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + later.dir().resolve(MARKER), e);
            }
        }
    }

    /** Readies the stage folder; true when the stage resumes from a checkpoint there. */
    private static boolean prepareDir(PlannedStage s, StageHashes h, boolean mayResume) {
        Path marker = s.dir().resolve(MARKER);
        boolean resume = false;
        if (mayResume && s.adapter().checkpoints() && Files.isRegularFile(marker)) {
            try {
                resume = Json.read(marker, StageHashes.class).equals(h)
                        && Checkpoint.latest(Checkpoint.dir(s.dir())).isPresent();
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot read ({}); the stage starts again", marker, e.getMessage());
            }
        }
        if (!resume && Files.exists(s.dir())) {
            LOG.info("{}: removing the unfinished or outdated folder {}", s.name(), s.dir());
            AtomicFiles.deleteTree(s.dir());
        }
        createDir(s.dir());
        if (!resume) {
            Json.write(marker, h);
        }
        return resume;
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
