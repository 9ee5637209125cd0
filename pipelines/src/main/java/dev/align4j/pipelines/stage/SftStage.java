package dev.align4j.pipelines.stage;

import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.sft.SftConfig;
import dev.align4j.sft.SftTrainer;
import java.util.Set;

/** {@code kind: sft}: {@link SftTrainer#prepare} on the keys of {@code align4j sft --config}. */
public final class SftStage extends TrainerStage {

    public SftStage() {
        super("sft", SftConfig.class, Set.of("model", "data"), "loss", "eval_loss");
    }

    @Override
    PreparedRun prepare(TrainingArgs args, PeftConfig peft, Object cfg) {
        return SftTrainer.prepare(args, peft, (SftConfig) cfg);
    }
}
