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
        try (RewardTrainer.Session session = RewardTrainer.prepare(s)) {
            RewardTrainer.Result r = session.train();
            Map<String, Double> m = new LinkedHashMap<>(r.trainMetrics());
            m.putAll(r.evalMetrics());
            String summary = String.format(Locale.ROOT, "reward: %d steps, train accuracy %.4f%s", r.train().steps(),
                    r.trainMetrics().getOrDefault("train_accuracy", Double.NaN),
                    r.evalMetrics().containsKey("eval_accuracy")
                            ? String.format(Locale.ROOT, ", eval accuracy %.4f", r.evalMetrics().get("eval_accuracy"))
                            : "");
            return new StageOutcome(Interrupts.requested(), r.train().steps(), summary, m);
        }
    }
}
