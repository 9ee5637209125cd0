package dev.align4j.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;

/** Small records shaped like a method config: shared training args plus method fields. */
final class TestConfigs {

    private TestConfigs() {}

    enum LossType { SIGMOID, HINGE }

    record TrainArgs(
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("max_steps") int maxSteps,
            @JsonProperty("output_dir") Path outputDir,
            @JsonProperty("seed") Integer seed) {

        TrainArgs {
            if (maxSteps < 0) {
                throw new IllegalArgumentException("max_steps must be >= 0, got " + maxSteps);
            }
            if (seed == null) {
                seed = 42;
            }
        }
    }

    record MethodArgs(
            @JsonProperty("beta") double beta,
            @JsonProperty("loss_type") LossType lossType,
            @JsonProperty("seed") Integer seed) {}

    record Model(@JsonProperty("d_model") int dModel, @JsonProperty("n_layers") int nLayers) {}

    record Nested(
            @JsonProperty("name") String name,
            @JsonProperty("model") Model model,
            @JsonProperty("tags") List<String> tags) {}
}
