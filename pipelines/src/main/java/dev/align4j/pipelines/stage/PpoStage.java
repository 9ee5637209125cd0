package dev.align4j.pipelines.stage;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.ppo.PpoConfig;
import dev.align4j.ppo.PpoTrainer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code kind: ppo}: {@link PpoTrainer#train} on the keys of {@code align4j ppo --config}. */
public final class PpoStage implements Stage {

    private static final Class<?>[] PARTS = {TrainingArgs.class, PeftConfig.class, PpoConfig.class};

    @Override
    public Set<String> keys() {
        return StageKeys.of(PARTS);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("policy", "reward_model", "prompts", "sample_prompts");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("model", "model", "dir", ".");
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
        return LmOutcomes.train("ppo", PpoTrainer.prepare(p.get(TrainingArgs.class), p.get(PeftConfig.class),
                p.get(PpoConfig.class)), "score", "kl");
    }
}
