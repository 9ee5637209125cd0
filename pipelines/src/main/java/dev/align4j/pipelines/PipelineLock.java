package dev.align4j.pipelines;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code pipeline.lock.json}: the stages that finished, in order, each with the hash of its resolved
 * config and of its inputs' content. Written atomically after every stage.
 *
 * @param pipeline the pipeline's name
 * @param stages finished stages, in pipeline order
 */
public record PipelineLock(@JsonProperty("pipeline") String pipeline, @JsonProperty("stages") List<Entry> stages) {

    private static final Logger LOG = LogManager.getLogger(PipelineLock.class);

    /**
     * @param name stage name
     * @param kind stage kind
     * @param configHash SHA-256 of the resolved config block
     * @param inputsHash SHA-256 of the content of every file and folder the config names
     * @param steps optimizer steps or iterations (0 for stages that do not train)
     * @param seconds wall time of the run that finished it
     * @param summary one line about what it did
     */
    public record Entry(@JsonProperty("name") String name, @JsonProperty("kind") String kind,
            @JsonProperty("config_hash") String configHash, @JsonProperty("inputs_hash") String inputsHash,
            @JsonProperty("steps") long steps, @JsonProperty("seconds") double seconds,
            @JsonProperty("summary") String summary) {

        boolean matches(StageHashes h) {
            return configHash.equals(h.config()) && inputsHash.equals(h.inputs());
        }
    }

    public PipelineLock {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    /** The lock in {@code file}, or an empty one when there is none or it cannot be read. */
    public static PipelineLock read(Path file, String pipeline) {
        if (!Files.isRegularFile(file)) {
            return new PipelineLock(pipeline, List.of());
        }
        try {
            return Json.read(file, PipelineLock.class);
        } catch (RuntimeException e) {
            LOG.warn("{} cannot be read ({}); every stage runs again", file, e.getMessage());
            return new PipelineLock(pipeline, List.of());
        }
    }

    public Optional<Entry> entry(String name) {
        return stages.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** This lock with {@code name}'s entry and every entry after it removed. */
    PipelineLock truncatedAt(String name) {
        List<Entry> kept = new ArrayList<>();
        for (Entry e : stages) {
            if (e.name().equals(name)) {
                break;
            }
            kept.add(e);
        }
        return new PipelineLock(pipeline, kept);
    }

    /**
     * Only the entries of {@code names}, in their order here: what stays recorded when the stage after
     * them runs (an entry of a stage that is now later in the file, or no longer in it, goes).
     */
    PipelineLock retaining(java.util.Collection<String> names) {
        return new PipelineLock(pipeline, stages.stream().filter(e -> names.contains(e.name())).toList());
    }

    PipelineLock with(Entry e) {
        List<Entry> out = new ArrayList<>(truncatedAt(e.name()).stages());
        out.add(e);
        return new PipelineLock(pipeline, out);
    }

    /** Writes the lock atomically. */
    public void write(Path file) {
        Json.write(file, this);
    }
}
