package dev.align4j.pipelines;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A validated pipeline: its stages in order, each with its resolved config and folder.
 *
 * @param name the pipeline's name
 * @param file the YAML it came from
 * @param outputDir where the stage folders, the lock file and the report go
 * @param stages in order
 */
public record Pipeline(String name, Path file, Path outputDir, List<PlannedStage> stages) {

    public static final String LOCK_FILE = "pipeline.lock.json";

    public Pipeline {
        stages = List.copyOf(stages);
    }

    public Path lockFile() {
        return outputDir.resolve(LOCK_FILE);
    }

    public Optional<PlannedStage> stage(String stageName) {
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst();
    }
}
