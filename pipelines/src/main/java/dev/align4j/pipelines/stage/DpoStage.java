package dev.align4j.pipelines.stage;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.dpo.DpoConfig;
import dev.align4j.dpo.DpoTrainer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code kind: dpo}: {@link DpoTrainer#train} on the keys of {@code align4j dpo --config}. */
public final class DpoStage implements Stage {

    private static final Class<?>[] PARTS = {TrainingArgs.class, PeftConfig.class, DpoConfig.class};

    @Override
    public Set<String> keys() {
        return StageKeys.of(PARTS);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("model", "ref_model", "data", "sample_prompts");
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
        return LmOutcomes.train("dpo", DpoTrainer.prepare(p.get(TrainingArgs.class), p.get(PeftConfig.class),
                p.get(DpoConfig.class)), "loss", "eval_rewards/accuracies");
    }
}
