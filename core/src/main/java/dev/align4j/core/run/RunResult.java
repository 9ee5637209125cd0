package dev.align4j.core.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link PreparedRun#train()} returns, the same for every method.
 *
 * @param steps optimizer steps done (PPO: iterations), counting those before a resume
 * @param metrics final metrics: the last step's training metrics and the last eval's {@code eval_*}
 *     (method extras such as SFT's {@code train_loss} or the reward model's {@code train_accuracy})
 * @param runDir the run folder (output_dir)
 * @param modelDir {@code runDir/model}, or null when interrupted
 * @param adapterDir {@code runDir/adapter} for LoRA/QLoRA, else null (also null when interrupted)
 * @param lastCheckpoint the newest checkpoint folder, or null if none was written
 * @param status finished or interrupted
 */
public record RunResult(long steps, Map<String, Double> metrics, Path runDir, Path modelDir, Path adapterDir,
        Path lastCheckpoint, RunStatus status) {

    public RunResult {
        metrics = Map.copyOf(metrics);
    }

    public boolean interrupted() {
        return status == RunStatus.INTERRUPTED;
    }
}
