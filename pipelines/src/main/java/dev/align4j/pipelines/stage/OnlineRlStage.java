package dev.align4j.pipelines.stage;

import dev.align4j.core.UserInputException;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.onlinerl.Algorithm;
import dev.align4j.onlinerl.OnlineRlConfig;
import dev.align4j.onlinerl.OnlineRlTrainer;
import java.util.Map;
import java.util.Set;

/**
 * {@code kind: grpo | rloo | reinforce_pp}: {@link OnlineRlTrainer#prepare} on the keys of
 * {@code align4j grpo --config}; the kind is the algorithm (an {@code algorithm} key, if given, must
 * agree).
 */
public final class OnlineRlStage extends TrainerStage {

    private final Algorithm algorithm;

    public OnlineRlStage(Algorithm algorithm) {
        super(algorithm.configName(), OnlineRlConfig.class, Set.of("policy", "prompts", "sample_prompts"), "reward",
                "kl");
        this.algorithm = algorithm;
    }

    @Override
    Map<String, String> text(StageConfig c) {
        Map<String, String> t = super.text(c);
        String given = t.get("algorithm");
        if (given != null && Algorithm.parse("algorithm", given) != algorithm) {
            throw new UserInputException("algorithm: " + given + " contradicts the stage's kind "
                    + algorithm.configName() + "; drop the key or change the kind");
        }
        t.put("algorithm", algorithm.configName());
        return t;
    }

    @Override
    PreparedRun prepare(TrainingArgs args, PeftConfig peft, Object cfg) {
        return OnlineRlTrainer.prepare(args, peft, (OnlineRlConfig) cfg);
    }
}
