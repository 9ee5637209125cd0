package dev.align4j.pipelines;

import dev.align4j.pipelines.stage.HumanInput;
import dev.align4j.pipelines.stage.StageOutcome;

/** What a pipeline run tells the person watching (and the CLI's per-stage run.log). */
public interface PipelineListener {

    /** The stage is up to date and will not run. */
    default void skipped(PlannedStage stage, int of) {
    }

    /** The stage is about to run in its (now existing) folder; {@code resume}: from a checkpoint. */
    default void started(PlannedStage stage, int of, boolean resume, String why) {
    }

    default void finished(PlannedStage stage, int of, StageOutcome outcome, double seconds) {
    }

    /** The run stops before the stage: it needs human input first (nothing of it was touched). */
    default void waiting(PlannedStage stage, int of, HumanInput input) {
    }

    PipelineListener NONE = new PipelineListener() {
    };
}
