package dev.align4j.pipelines;

import dev.align4j.core.train.Checkpoint;
import dev.align4j.pipelines.stage.HumanInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where each stage of a pipeline stands in its output folder: done (in the lock with the same
 * hashes), stale (in the lock, but its config or inputs changed, or an earlier stage must run again),
 * interrupted at step N (no lock entry, a checkpoint in a folder the next run would resume), waiting
 * for human input (every stage before it done, and the stage says what it still needs: the
 * {@code annotate} stage's labels), or pending.
 */
public final class PipelineStatus {

    public enum State { DONE, STALE, INTERRUPTED, WAITING, PENDING }

    /**
     * @param step the latest checkpoint's step when INTERRUPTED, else -1
     * @param summary the lock's summary of the stage's last run; when WAITING, what it waits for
     */
    public record Line(String stage, String kind, State state, long step, String summary) {
        public String describe() {
            return switch (state) {
                case DONE -> "done" + (summary == null ? "" : " (" + summary + ")");
                case STALE -> "stale (will run again)";
                case INTERRUPTED -> "interrupted at step " + step;
                case WAITING -> "waiting for human input (" + summary + ")";
                case PENDING -> "pending";
            };
        }
    }

    private PipelineStatus() {
    }

    public static List<Line> of(Pipeline p) {
        PipelineLock lock = PipelineLock.read(p.lockFile(), p.name());
        List<Line> out = new ArrayList<>();
        boolean earlierNotDone = false;
        for (PlannedStage s : p.stages()) {
            var entry = lock.entry(s.name());
            State state;
            long step = -1;
            if (entry.isPresent() && !earlierNotDone && Files.isDirectory(s.dir())
                    && entry.get().matches(StageHashes.of(s))) {
                state = State.DONE;
            } else if (entry.isPresent()) {
                state = State.STALE;
            } else {
                Optional<Path> ckpt = resumable(s) ? Checkpoint.latest(Checkpoint.dir(s.dir())) : Optional.empty();
                state = ckpt.isPresent() ? State.INTERRUPTED : State.PENDING;
                step = ckpt.map(Checkpoint::step).orElse(-1L);
            }
            String summary = entry.map(PipelineLock.Entry::summary).orElse(null);
            Optional<String> waiting = state == State.DONE || earlierNotDone ? Optional.empty() : awaiting(s);
            if (waiting.isPresent()) {
                state = State.WAITING;
                summary = waiting.get();
            }
            earlierNotDone |= state != State.DONE;
            out.add(new Line(s.name(), s.kind().configName(), state, step, summary));
        }
        return out;
    }

    /** What the stage waits for from people, if anything; a stage whose inputs cannot be read is pending. */
    private static Optional<String> awaiting(PlannedStage s) {
        try {
            return s.adapter().awaiting(s.stageConfig(false)).map(HumanInput::progress);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A folder the runner would resume: its start marker has the stage's current hashes. */
    private static boolean resumable(PlannedStage s) {
        Path marker = s.dir().resolve(PipelineRunner.MARKER);
        try {
            return Files.isRegularFile(marker) && dev.align4j.core.io.Json.read(marker, StageHashes.class)
                    .equals(StageHashes.of(s));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
