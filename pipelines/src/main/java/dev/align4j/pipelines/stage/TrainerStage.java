package dev.align4j.pipelines.stage;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.train.TrainingArgs;
import java.util.Map;
import java.util.Set;

/**
 * A stage whose config block is {@link TrainingArgs} + {@link PeftConfig} + the method's own config
 * record (the keys of {@code align4j sft|dpo|ppo --config}), run through the method's
 * {@code prepare(args, peft, cfg)} on the run lifecycle; it resumes from checkpoints.
 */
abstract class TrainerStage implements Stage {

    private final String name;
    private final Class<?> methodConfig;
    private final Class<?>[] parts;
    private final Set<String> pathKeys;
    private final String[] summaryKeys;

    TrainerStage(String name, Class<?> methodConfig, Set<String> pathKeys, String... summaryKeys) {
        this.name = name;
        this.methodConfig = methodConfig;
        this.parts = new Class<?>[] {TrainingArgs.class, PeftConfig.class, methodConfig};
        this.pathKeys = pathKeys;
        this.summaryKeys = summaryKeys;
    }

    /** The method's {@code prepare(args, peft, cfg)}. */
    abstract PreparedRun prepare(TrainingArgs args, PeftConfig peft, Object cfg);

    @Override
    public Set<String> keys() {
        return StageKeys.of(parts);
    }

    @Override
    public Set<String> pathKeys() {
        return pathKeys;
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("model", "model", "dir", ".");
    }

    @Override
    public boolean checkpoints() {
        return true;
    }

    /** The block's keys as text for the trainer; a kind may add its own fixed keys. */
    Map<String, String> text(StageConfig c) {
        return c.asTrainerText();
    }

    @Override
    public void check(StageConfig c) {
        ConfigLoader.loadParts(null, text(c), parts);
    }

    @Override
    public StageOutcome run(StageConfig c) {
        ConfigLoader.Parts p = ConfigLoader.loadParts(null, text(c), parts);
        return LmOutcomes.train(name, prepare(p.get(TrainingArgs.class), p.get(PeftConfig.class),
                p.get(methodConfig)), summaryKeys);
    }
}
