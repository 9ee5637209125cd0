package dev.align4j.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper m = name.endsWith(".yaml") || name.endsWith(".yml") ? Json.yaml() : Json.mapper();
        try {
            JsonNode tree = m.readTree(file.toFile());
            if (!(tree instanceof ObjectNode obj)) {
                throw UserInputException.at(file, 0, null, "expected a map of model config fields");
            }
            obj.put("vocab_size", tokenizer.vocabSize());
            if (obj.hasNonNull("architecture")) {
                obj.put("architecture", obj.get("architecture").asText().toUpperCase(Locale.ROOT));
            }
            return m.treeToValue(obj, ModelConfig.class);
        } catch (IOException e) {
            Throwable c = e.getCause();
            String what = c instanceof IllegalArgumentException ? c.getMessage() : e.getMessage();
            throw UserInputException.at(file, 0, null, what);
        }
    }
}
