package dev.align4j.pipelines.stage;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.sft.LmRun;
import dev.align4j.sft.SftConfig;
import dev.align4j.sft.SftTrainer;
import java.util.Map;
import java.util.Set;

/** {@code kind: sft}: {@link SftTrainer#prepare} on the keys of {@code align4j sft --config}. */
public final class SftStage implements Stage {

    private static final Class<?>[] PARTS = {TrainingArgs.class, PeftConfig.class, SftConfig.class};

    @Override
    public Set<String> keys() {
        return StageKeys.of(PARTS);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("model", "data");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("model", LmRun.MODEL_DIR, "dir", ".");
    }

    @Override
    public boolean checkpoints() {
        return true;
    }

    @Override
    public void check(StageConfig c) {
        ConfigLoader.loadParts(null, c.asTrainerText(), PARTS);
    }

    @Override
    public StageOutcome run(StageConfig c) {
        ConfigLoader.Parts p = ConfigLoader.loadParts(null, c.asTrainerText(), PARTS);
        return LmOutcomes.train("sft", SftTrainer.prepare(p.get(TrainingArgs.class), p.get(PeftConfig.class),
                p.get(SftConfig.class)), "loss", "eval_loss");
    }
}
