package dev.align4j.pipelines.stage;

import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.dpo.DpoConfig;
import dev.align4j.dpo.DpoTrainer;
import java.util.Set;

/** {@code kind: dpo}: {@link DpoTrainer#prepare} on the keys of {@code align4j dpo --config}. */
public final class DpoStage extends TrainerStage {

    public DpoStage() {
        super("dpo", DpoConfig.class, Set.of("model", "ref_model", "data", "sample_prompts"), "loss", "eval_rewards/accuracies");
    }

    @Override
    PreparedRun prepare(TrainingArgs args, PeftConfig peft, Object cfg) {
        return DpoTrainer.prepare(args, peft, (DpoConfig) cfg);
    }
}
