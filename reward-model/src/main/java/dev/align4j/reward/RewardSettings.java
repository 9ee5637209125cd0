package dev.align4j.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.io.Json;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three parts of a reward-model config ({@link TrainingArgs}, {@link PeftConfig},
 * {@link RewardConfig}) read from one flat file by {@link ConfigLoader#loadParts}.
 *
 * <p>Defaults that differ for reward modelling, applied only to keys the file and flags leave out:
 * {@code metric_for_best_model: eval_accuracy}, {@code greater_is_better: true},
 * {@code num_train_epochs: 1} and {@code learning_rate: 1e-5} (TRL's RewardConfig), and
 * {@code method: full} (TRL trains the whole model unless given a PEFT config). Every other
 * TrainingArgs key keeps {@link TrainingArgs#defaults()}.
 */
public record RewardSettings(TrainingArgs args, PeftConfig peft, RewardConfig reward) {

    /** Reward-modelling defaults over {@link TrainingArgs#defaults()} and PeftConfig's. */
    static final Map<String, String> METHOD_DEFAULTS = Map.of(
            "metric_for_best_model", "eval_accuracy",
            "greater_is_better", "true",
            "num_train_epochs", "1",
            "learning_rate", "1e-5",
            "method", "full");

    /**
     * {@link TrainingArgs#defaults()} with the reward-modelling defaults above (for Java code, where no
     * config file applies them): set output_dir and what else differs, then {@code build()}.
     */
    public static TrainingArgs.Builder trainingDefaults() {
        return methodDefaults().get(TrainingArgs.class).toBuilder();
    }

    /** The reward-modelling PEFT default, {@code method: full}: the whole model trains, as in TRL. */
    public static PeftConfig defaultPeft() {
        return methodDefaults().get(PeftConfig.class);
    }

    private static ConfigLoader.Parts methodDefaults() {
        return ConfigLoader.loadParts(null, METHOD_DEFAULTS, TrainingArgs.class, PeftConfig.class);
    }

    /**
     * @param file YAML/JSON config, or null
     * @param overrides {@code --set} and typed flags, applied after the file, as text
     */
    public static RewardSettings load(Path file, Map<String, String> overrides) {
        // the keys the user gave; the reward-specific defaults fill the others (ConfigLoader fills
        // the remaining TrainingArgs keys from TrainingArgs.defaults())
        Set<String> given = new HashSet<>(topLevelKeys(file));
        given.addAll(overrides.keySet());
        Map<String, String> all = new LinkedHashMap<>();
        METHOD_DEFAULTS.forEach((k, v) -> {
            if (!given.contains(k)) {
                all.put(k, v);
            }
        });
        all.putAll(overrides);
        ConfigLoader.Parts parts = ConfigLoader.loadParts(file, all, TrainingArgs.class, PeftConfig.class,
                RewardConfig.class);
        return new RewardSettings(parts.get(TrainingArgs.class), parts.get(PeftConfig.class),
                parts.get(RewardConfig.class));
    }

    /** Top-level keys of the file; none when it is absent or does not parse (loadParts reports that). */
    private static Set<String> topLevelKeys(Path file) {
        Set<String> keys = new HashSet<>();
        if (file == null || !Files.isRegularFile(file)) {
            return keys;
        }
        try {
            JsonNode root = Json.yaml().readTree(file.toFile()); // YAML 1.1 reads JSON too
            if (root != null && root.isObject()) {
                root.fieldNames().forEachRemaining(keys::add);
            }
        } catch (IOException e) {
            // ConfigLoader.loadParts reads the file again and reports the error with its line
        }
        return keys;
    }

    /** The resolved config as one flat object (what config.json and provenance record). */
    public ObjectNode toTree() {
        return ConfigLoader.toTree(args, peft, reward);
    }
}
