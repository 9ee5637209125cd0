package dev.align4j.pipelines;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.pipelines.stage.Stage;
import dev.align4j.pipelines.stage.StageConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * One stage of a validated pipeline.
 *
 * @param index position, from 0
 * @param name the stage's name (its folder's name)
 * @param kind what it runs
 * @param adapter the kind's adapter
 * @param config the resolved config block (defaults merged, references replaced)
 * @param dir {@code <output-dir>/<name>}
 * @param dependsOn the earlier stages its config refers to
 */
public record PlannedStage(int index, String name, StageKind kind, Stage adapter, ObjectNode config, Path dir,
        List<String> dependsOn) {

    public StageConfig stageConfig(boolean resume) {
        return new StageConfig(name, dir, config, resume);
    }
}
