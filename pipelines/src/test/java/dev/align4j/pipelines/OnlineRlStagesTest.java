package dev.align4j.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The critic-free kinds: synth (arithmetic) -> sft -> grpo -> rloo on the same SFT model, and their checks. */
class OnlineRlStagesTest {

    @TempDir
    Path dir;

    private Path file(String name, String onlineStages) throws IOException {
        Path model = dir.resolve("tiny-model.yaml");
        Files.writeString(model, TestPipelines.resource("tiny-model.yaml"));
        return Files.writeString(dir.resolve(name), String.join("\n",
                "name: online",
                "defaults: {seed: 7, template: plain, per_device_train_batch_size: 4, save_steps: 1}",
                "stages:",
                "  - {name: synth, kind: synth, config: {task: arithmetic, n: 60, train_prompts: 8, eval_prompts: 4,"
                        + " max_digits: 1}}",
                "  - name: sft",
                "    kind: sft",
                "    config: {model_config: " + model + ", tokenizer: byte, data: [\"${synth.sft}\"], cutoff_len: 16,"
                        + " max_steps: 1, num_samples: 0}",
                onlineStages, ""));
    }

    @Test
    void grpoAndRlooStagesTrainFromTheSftModelWithAnExactMatchReward() throws IOException {
        Path f = file("p.yaml", String.join("\n",
                "  - name: grpo",
                "    kind: grpo",
                "    config: {policy: \"${sft.model}\", prompts: \"${synth.prompts_train}\", reward_funcs: [exact-match],"
                        + " rollout_batch_size: 2, num_generations: 2, max_new_tokens: 3, max_steps: 2, sample_n: 2}",
                "  - name: rloo",
                "    kind: rloo",
                "    config: {policy: \"${sft.model}\", prompts: \"${synth.prompts_train}\", reward_funcs: [exact-match],"
                        + " rollout_batch_size: 2, max_new_tokens: 3, max_steps: 1, sample_n: 0}"));
        Path out = dir.resolve("out");
        Pipeline p = PipelineLoader.load(f, out, Map.of());
        assertThat(p.stage("grpo").orElseThrow().kind()).isEqualTo(StageKind.GRPO);
        PipelineRunner.Result r = PipelineRunner.run(p, null, PipelineListener.NONE);
        assertThat(r.interrupted()).isFalse();
        assertThat(out.resolve("grpo/model/model.safetensors")).exists();
        JsonNode grpo = Json.mapper().readTree(out.resolve("grpo/config.json").toFile());
        assertThat(grpo.get("algorithm").asText()).isEqualTo("grpo");
        JsonNode rloo = Json.mapper().readTree(out.resolve("rloo/config.json").toFile());
        assertThat(rloo.get("algorithm").asText()).isEqualTo("rloo");
        assertThat(rloo.get("num_generations").asInt()).isEqualTo(2);
        assertThat(Files.readAllLines(out.resolve("grpo/metrics.jsonl"))).hasSize(2);
        // unchanged: the rerun skips every stage
        PipelineRunner.Result again = PipelineRunner.run(PipelineLoader.load(f, out, Map.of()), null,
                PipelineListener.NONE);
        assertThat(again.stages()).allSatisfy(s -> assertThat(s.ran()).isFalse());
    }

    @Test
    void validationNamesTheLineOfABadKeyAndAContradictingAlgorithm() throws IOException {
        Path typo = file("typo.yaml", String.join("\n",
                "  - name: grpo",
                "    kind: grpo",
                "    config: {policy: \"${sft.model}\", prompts: \"${synth.prompts_train}\", reward_funcs: [sentiment],"
                        + " num_generation: 4}"));
        assertThatThrownBy(() -> PipelineLoader.load(typo, dir.resolve("o1"), Map.of()))
                .isInstanceOf(UserInputException.class).hasMessageContaining("typo.yaml:10")
                .hasMessageContaining("num_generation").hasMessageContaining("num_generations");
        Path contra = file("contra.yaml", String.join("\n",
                "  - name: grpo",
                "    kind: grpo",
                "    config: {policy: \"${sft.model}\", prompts: \"${synth.prompts_train}\", reward_funcs: [sentiment],"
                        + " algorithm: rloo}"));
        assertThatThrownBy(() -> PipelineLoader.load(contra, dir.resolve("o2"), Map.of()))
                .hasMessageContaining("algorithm").hasMessageContaining("contradicts");
        assertThat(dir.resolve("o1")).doesNotExist();
        assertThat(dir.resolve("o2")).doesNotExist();
    }
}
