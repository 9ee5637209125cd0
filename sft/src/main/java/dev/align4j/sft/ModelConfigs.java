package dev.align4j.sft;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The shape of a model trained from scratch, sized to its tokenizer. */
public final class ModelConfigs {

    private ModelConfigs() {
    }

    /**
     * A preset ({@code tiny}, {@code small}, {@code tiny-llama}, {@code small-llama}) or a JSON/YAML
     * file of ModelConfig fields. vocab_size is always the tokenizer's (a file may leave it out), and
     * {@code architecture} may be written in any case.
     */
    public static ModelConfig resolve(String spec, Tokenizer tokenizer) {
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            try {
                return ModelConfig.preset(spec, tokenizer.vocabSize());
            } catch (IllegalArgumentException e) {
                throw UserInputException.at(null, 0, "model_config", e.getMessage() + " or a config file");
            }
        }
        // file:line: key errors (unknown keys with the closest valid one, types, ranges) as for any config;
        // vocab_size is always the tokenizer's
        return ConfigLoader.load(file, Map.of("vocab_size", String.valueOf(tokenizer.vocabSize())), ModelConfig.class);
    }
}
