package dev.align4j.pipelines.stage;

import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.ppo.PpoConfig;
import dev.align4j.ppo.PpoTrainer;
import java.util.Set;

/** {@code kind: ppo}: {@link PpoTrainer#prepare} on the keys of {@code align4j ppo --config}. */
public final class PpoStage extends TrainerStage {

    public PpoStage() {
        super("ppo", PpoConfig.class, Set.of("policy", "reward_model", "prompts", "sample_prompts"), "score", "kl");
    }

    @Override
    PreparedRun prepare(TrainingArgs args, PeftConfig peft, Object cfg) {
        return PpoTrainer.prepare(args, peft, (PpoConfig) cfg);
    }
}
