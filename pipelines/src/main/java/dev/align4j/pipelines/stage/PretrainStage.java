package dev.align4j.pipelines.stage;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.sft.LmRun;
import dev.align4j.sft.PretrainConfig;
import dev.align4j.sft.Pretrainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kind: pretrain}: {@link Pretrainer#prepare} on the keys of {@code align4j pretrain --set},
 * with that command's pretraining defaults under the block's own keys.
 */
public final class PretrainStage implements Stage {

    private static final Class<?>[] PARTS = {TrainingArgs.class, PretrainConfig.class};
    private static final String QUICKSTART = "builtin:quickstart";

    /** The same defaults as PretrainCommand.DEFAULTS (a tiny model from scratch wants a larger rate). */
    private static final Map<String, String> DEFAULTS = Map.of(
            "learning_rate", "3.0e-3",
            "lr_scheduler_type", "cosine",
            "warmup_ratio", "0.05",
            "per_device_train_batch_size", "16",
            "num_train_epochs", "1",
            "save_total_limit", "2",
            "weight_decay", "0.1");

    @Override
    public Set<String> keys() {
        return StageKeys.of(PARTS);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("model");
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
        PretrainConfig cfg = parts(c).get(PretrainConfig.class);
        for (String t : cfg.text()) {
            if (!t.equals(QUICKSTART) && !Files.isRegularFile(Path.of(t))) {
                throw new UserInputException("text: " + t + ": no such file (or use " + QUICKSTART + ")");
            }
        }
    }

    @Override
    public StageOutcome run(StageConfig c) {
        ConfigLoader.Parts p = parts(c);
        List<Pretrainer.Text> texts = new ArrayList<>();
        for (String t : p.get(PretrainConfig.class).text()) {
            texts.add(read(t));
        }
        return LmOutcomes.train("pretrain", Pretrainer.prepare(p.get(TrainingArgs.class), p.get(PretrainConfig.class),
                texts), "loss", "eval_loss");
    }

    private static ConfigLoader.Parts parts(StageConfig c) {
        Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
        all.putAll(c.asTrainerText());
        return ConfigLoader.loadParts(null, all, PARTS);
    }

    private static Pretrainer.Text read(String spec) {
        try {
            if (spec.equals(QUICKSTART)) {
                try (InputStream in = PretrainStage.class.getResourceAsStream("/corpus/quickstart.txt")) {
                    if (in == null) {
                        throw new UserInputException("text: " + QUICKSTART + " is only in the align4j jar");
                    }
                    return new Pretrainer.Text(spec, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return new Pretrainer.Text(spec, Files.readString(Path.of(spec), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserInputException("text: " + spec + ": cannot read: " + e.getMessage(), e);
        }
    }
}
