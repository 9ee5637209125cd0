package dev.align4j.pipelines.stage;

import dev.align4j.core.config.Interrupts;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.reward.RewardConfig;
import dev.align4j.reward.RewardSettings;
import dev.align4j.reward.RewardTrainer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code kind: reward}: {@link RewardTrainer#prepare} on the keys of {@code align4j reward train --config}. */
public final class RewardStage implements Stage {

    @Override
    public Set<String> keys() {
        return StageKeys.of(TrainingArgs.class, PeftConfig.class, RewardConfig.class);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("model", "data");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("model", RewardTrainer.MODEL_DIR, "dir", ".");
    }

    @Override
    public boolean checkpoints() {
        return true;
    }

    @Override
    public void check(StageConfig c) {
        RewardSettings.load(null, c.asTrainerText());
    }

    @Override
    public StageOutcome run(StageConfig c) {
        RewardSettings s = RewardSettings.load(null, c.asTrainerText());
        return LmOutcomes.train("reward", RewardTrainer.prepare(s), "accuracy", "eval_accuracy");
    }
}
