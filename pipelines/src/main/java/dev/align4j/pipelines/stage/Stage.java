package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of pipeline stage: the adapter between a stage's config block and the trainer or tool
 * that does the work. Each adapter calls today's entry point of its module (the same one the
 * stage's own command calls), so the config block takes the same keys as that command's config file.
 */
public interface Stage {

    /** Keys the config block accepts (the pipeline sets {@code output_dir} itself). */
    Set<String> keys();

    /** Keys whose values must name existing files or folders (unless they refer to an earlier stage). */
    Set<String> pathKeys();

    /**
     * What later stages may refer to as {@code ${stage.name}}: output name to a path inside the stage
     * folder ({@code "."} is the folder itself).
     */
    Map<String, String> outputs();

    /** Binds and checks the config as the stage's own command would, without writing anything. */
    void check(StageConfig config);

    /** Runs the stage in {@link StageConfig#dir()}; resumes from its latest checkpoint when asked. */
    StageOutcome run(StageConfig config);

    /** Whether an interrupted run continues from a checkpoint ({@code resume_from_checkpoint=latest}). */
    default boolean checkpoints() {
        return false;
    }

    /**
     * Human input the stage still needs before it can run (the pipeline stops before it and says
     * what to do), or empty when it can run. Called once the stages before it are done.
     */
    default Optional<HumanInput> awaiting(StageConfig config) {
        return Optional.empty();
    }

    /**
     * Files or folders named inside a value rather than as the whole value (the {@code DIR} of
     * {@code judge: reward-model:DIR}); their content counts in the stage's input hash like that of
     * a value that is a path.
     */
    default List<String> embeddedPaths(ObjectNode config) {
        return List.of();
    }
}
