package dev.align4j.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.io.Json;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PpoTrainerTest {

    @TempDir
    static Path tmp;
    static Path policy;
    static Path rm;
    static Path prompts;

    @BeforeAll
    static void fixtures() throws IOException {
        policy = PpoFixtures.policy(tmp.resolve("sft"), 3);
        rm = PpoFixtures.rewardModel(policy, tmp.resolve("rm"), 4);
        prompts = PpoFixtures.prompts(tmp.resolve("prompts.jsonl"), 12, 5);
    }

    @AfterEach
    void clearInterrupt() {
        Interrupts.clear();
    }

    private static RunResult train(Path out, String resume) {
        return PpoTrainer.train(PpoFixtures.args(out).resumeFromCheckpoint(resume).build(),
                PeftConfig.of(PeftMethod.FULL), PpoFixtures.config(policy, rm, prompts, 2));
    }

    @Test
    void interruptedAndResumedEqualsUninterrupted() throws IOException {
        Path straight = tmp.resolve("straight");
        RunResult a = train(straight, null);
        assertThat(a.steps()).isEqualTo(2);
        assertThat(a.interrupted()).isFalse();

        Path split = tmp.resolve("split");
        Interrupts.request(); // Ctrl-C before the loop: one iteration runs, then checkpoint and stop
        RunResult b1 = train(split, null);
        assertThat(b1.interrupted()).isTrue();
        assertThat(b1.steps()).isEqualTo(1);
        assertThat(b1.modelDir()).isNull();
        assertThat(Checkpoint.latest(Checkpoint.dir(split)).orElseThrow().getFileName().toString()).isEqualTo("step-1");
        Interrupts.clear();
        RunResult b2 = train(split, "latest");
        assertThat(b2.steps()).isEqualTo(2);

        assertThat(Files.readAllBytes(split.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(straight.resolve("model/model.safetensors")));
        assertThat(Files.readAllBytes(Checkpoint.dir(split).resolve("step-2").resolve(Checkpoint.WEIGHTS)))
                .as("policy and critic").isEqualTo(Files.readAllBytes(
                        Checkpoint.dir(straight).resolve("step-2").resolve(Checkpoint.WEIGHTS)));
        List<String> ma = Files.readAllLines(straight.resolve("metrics.jsonl"));
        List<String> mb = Files.readAllLines(split.resolve("metrics.jsonl"));
        assertThat(mb).hasSize(2);
        assertThat(metric(mb.get(1), "policy_loss")).isEqualTo(metric(ma.get(1), "policy_loss"));
        assertThat(metric(mb.get(1), "score")).isEqualTo(metric(ma.get(1), "score"));
    }

    private static double metric(String line, String key) throws IOException {
        return Json.mapper().readTree(line).get(key).asDouble();
    }

    @Test
    void writesModelBundleSamplesAndRunFiles() throws IOException {
        Path out = tmp.resolve("outputs");
        RunResult r = train(out, null);
        assertThat(r.modelDir()).isEqualTo(out.resolve("model"));
        JsonNode prov = Json.mapper().readTree(out.resolve("model/provenance.json").toFile());
        assertThat(prov.get("method").asText()).isEqualTo("ppo");
        assertThat(prov.get("iterations").asInt()).isEqualTo(2);
        assertThat(Files.readAllLines(out.resolve("samples.jsonl"))).hasSize(4)
                .allSatisfy(l -> assertThat(l).contains("\"prompt\"", "\"completion\"", "\"reward\""));
        assertThat(out.resolve("config.json")).exists();
        assertThat(Json.mapper().readTree(out.resolve("run.json").toFile()).get("data_hash").asText()).hasSize(64);
        JsonNode line = Json.mapper().readTree(Files.readAllLines(out.resolve("metrics.jsonl")).get(0));
        for (String k : List.of("step", "score", "kl", "entropy", "policy_loss", "value_loss", "clipfrac",
                "approx_kl", "returns_mean", "advantages_mean", "response_length", "generation_s", "scoring_s",
                "training_s")) {
            assertThat(line.has(k)).as(k).isTrue();
        }
    }

    @Test
    void loraPolicyTrainsAgainstItsAdapterFreeBase() {
        Path out = tmp.resolve("lora");
        RunResult r = PpoTrainer.train(PpoFixtures.args(out).learningRate(1e-2).build(),
                PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of("all-linear")),
                PpoFixtures.config(policy, rm, prompts, 1));
        assertThat(r.metrics().get("kl")).isEqualTo(0.0); // LoRA B starts at zero: policy == reference
        assertThat(r.modelDir().resolve("model.safetensors")).exists();
    }

    @Test
    void badInputWritesNothing() {
        Path out = tmp.resolve("bad");
        assertThatThrownBy(() -> PpoTrainer.train(PpoFixtures.args(out).build(), PeftConfig.of(PeftMethod.FULL),
                PpoFixtures.config(policy, policy, prompts, 1)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("not a reward model folder");
        assertThatThrownBy(() -> PpoTrainer.train(PpoFixtures.args(out).build(), PeftConfig.of(PeftMethod.FULL),
                PpoFixtures.config(policy, rm, tmp.resolve("missing.jsonl"), 1)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("prompts: file not found");
        assertThat(out).doesNotExist();
    }
}
