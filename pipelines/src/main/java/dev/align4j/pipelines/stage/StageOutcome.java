package dev.align4j.pipelines.stage;

import java.util.Map;

/**
 * What a stage did.
 *
 * @param interrupted stopped early (Ctrl-C); the stage folder holds a checkpoint to resume from
 * @param steps optimizer steps or iterations done (0 for stages that do not train)
 * @param summary one line for people
 * @param metrics final metrics, empty when there are none
 */
public record StageOutcome(boolean interrupted, long steps, String summary, Map<String, Double> metrics) {

    public StageOutcome {
        metrics = Map.copyOf(metrics);
    }

    public static StageOutcome done(String summary) {
        return new StageOutcome(false, 0, summary, Map.of());
    }
}
