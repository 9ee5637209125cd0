package dev.align4j.onlinerl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.Templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The critic-free run on folders: resume equals a straight run, run files, what is held, bad input. */
class OnlineRlTrainerTest {

    @TempDir
    static Path tmp;
    static Path policy;
    static Path prompts;

    @BeforeAll
    static void fixtures() throws IOException {
        policy = tmp.resolve("sft");
        ByteTokenizer tok = new ByteTokenizer();
        try (ModelBundle b = ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 32, 16, 1, 2), tok, Templates.PLAIN,
                Device.cpu(), 41)) {
            b.save(policy, Map.of("what", "random test policy"));
        }
        prompts = tmp.resolve("prompts.jsonl");
        Random r = new Random(42);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int a = r.nextInt(5);
            int b = r.nextInt(5);
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("prompt", a + "+" + b + "=");
            rec.put("answer", a + b);
            lines.add(Json.line(rec));
        }
        Files.write(prompts, lines);
    }

    static TrainingArgs args(Path out, String resume) {
        return TrainingArgs.builder().outputDir(out.toString()).perDeviceTrainBatchSize(4).perDeviceEvalBatchSize(8)
                .learningRate(1e-3).saveSteps(0).device("cpu").seed(5).maxSteps(2).resumeFromCheckpoint(resume)
                .build();
    }


    static OnlineRlConfig config(String algorithm, double beta) {
        return OnlineRlConfig.builder().algorithm(algorithm).policy(policy.toString()).prompts(prompts.toString())
                .rewardFuncs(List.of("regex:[0-9]", "exact-match")).rewardWeights(List.of(0.5, 1.0))
                .rolloutBatchSize(2).numGenerations(algorithm.equals("reinforce_pp") ? 1 : 3).maxNewTokens(4)
                .beta(beta).numIterations(2).sampleN(3).build();
    }

    @Test
    void interruptedAndResumedEqualsUninterrupted() throws IOException {
        Path straight = tmp.resolve("straight");
        RunResult a = OnlineRlTrainer.train(args(straight, null), PeftConfig.of(PeftMethod.FULL), config("grpo", 0.04));
        assertThat(a.steps()).isEqualTo(2);
        Path split = tmp.resolve("split");
        Interrupts.request(); // Ctrl-C before the loop: one iteration, a checkpoint, stop
        RunResult b1 = OnlineRlTrainer.train(args(split, null), PeftConfig.of(PeftMethod.FULL), config("grpo", 0.04));
        Interrupts.clear();
        assertThat(b1.interrupted()).isTrue();
        assertThat(b1.modelDir()).isNull();
        RunResult b2 = OnlineRlTrainer.train(args(split, "latest"), PeftConfig.of(PeftMethod.FULL),
                config("grpo", 0.04));
        assertThat(b2.steps()).isEqualTo(2);
        assertThat(Files.readAllBytes(split.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(straight.resolve("model/model.safetensors")));
        assertThat(Files.readAllBytes(Checkpoint.dir(split).resolve("step-2").resolve(Checkpoint.WEIGHTS)))
                .isEqualTo(Files.readAllBytes(Checkpoint.dir(straight).resolve("step-2").resolve(Checkpoint.WEIGHTS)));
        assertThat(Files.readAllLines(split.resolve("samples.jsonl")))
                .isEqualTo(Files.readAllLines(straight.resolve("samples.jsonl")));
        List<String> ma = Files.readAllLines(straight.resolve("metrics.jsonl"));
        List<String> mb = Files.readAllLines(split.resolve("metrics.jsonl"));
        assertThat(mb).hasSize(2);
        assertThat(metric(mb.get(1), "loss")).isEqualTo(metric(ma.get(1), "loss"));
        assertThat(metric(mb.get(1), "kl")).isEqualTo(metric(ma.get(1), "kl"));
        assertThat(metric(ma.get(0), "rewards/exact_match/mean")).isNotNull();
    }

    @Test
    void eachAlgorithmWritesItsRunFolderAndLoraWithBetaZeroHoldsNoReference() throws IOException {
        for (String algo : List.of("rloo", "reinforce_pp")) {
            Path out = tmp.resolve("run-" + algo);
            RunResult r = OnlineRlTrainer.train(args(out, null), PeftConfig.of(PeftMethod.FULL), config(algo, 0.05));
            assertThat(r.modelDir()).isEqualTo(out.resolve("model"));
            JsonNode prov = Json.mapper().readTree(out.resolve("model/provenance.json").toFile());
            assertThat(prov.get("method").asText()).isEqualTo(algo);
            JsonNode run = Json.mapper().readTree(out.resolve("run.json").toFile());
            assertThat(run.get("reference").asText()).isEqualTo("frozen copy");
            assertThat(Files.readAllLines(out.resolve("samples.jsonl"))).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("\"completion\"", "\"reward\""));
        }
        Path lora = tmp.resolve("lora-beta0");
        PeftConfig peft = PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of(PeftConfig.ALL_LINEAR));
        OnlineRlTrainer.train(args(lora, null), peft, config("grpo", 0.0));
        JsonNode run = Json.mapper().readTree(lora.resolve("run.json").toFile());
        assertThat(run.get("reference").asText()).isEqualTo("none (beta 0)");
        JsonNode full = Json.mapper().readTree(tmp.resolve("run-rloo").resolve("run.json").toFile());
        // a second copy doubles the weights held; LoRA's optimizer state is a small fraction of full's
        assertThat(full.get("memory_weights_bytes").asLong()).isGreaterThan(run.get("memory_weights_bytes").asLong());
        assertThat(run.get("memory_optimizer_bytes").asLong() * 4)
                .isLessThan(full.get("memory_optimizer_bytes").asLong());
        assertThat(lora.resolve("adapter")).isDirectory();
    }

    @Test
    void theCheckpointWithTheBestRewardSurvivesPruning() throws IOException {
        Path out = tmp.resolve("best");
        TrainingArgs a = TrainingArgs.builder().outputDir(out.toString()).perDeviceTrainBatchSize(4)
                .perDeviceEvalBatchSize(8).learningRate(3e-3).saveSteps(1).saveTotalLimit(1).device("cpu").seed(9)
                .maxSteps(4).metricForBestModel("reward").greaterIsBetter(true).build();
        OnlineRlTrainer.train(a, PeftConfig.of(PeftMethod.FULL), config("grpo", 0.0));
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        int best = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (metric(lines.get(i), "reward") > metric(lines.get(best), "reward")) {
                best = i;
            }
        }
        List<String> kept = new ArrayList<>();
        try (var files = Files.list(Checkpoint.dir(out))) {
            files.forEach(f -> kept.add(f.getFileName().toString()));
        }
        assertThat(kept).contains("step-" + (best + 1), "step-4");
        assertThat(kept.size()).isLessThanOrEqualTo(2);
    }

    @Test
    void exactMatchWithoutAnswersIsBadInputAndWritesNothing() throws IOException {
        Path bare = tmp.resolve("bare.jsonl");
        Files.writeString(bare, "{\"prompt\": \"1+1=\"}\n");
        Path out = tmp.resolve("never");
        OnlineRlConfig c = OnlineRlConfig.builder().policy(policy.toString()).prompts(bare.toString())
                .rewardFuncs(List.of("exact-match")).rolloutBatchSize(1).numGenerations(2).build();
        assertThatThrownBy(() -> OnlineRlTrainer.prepare(args(out, null), PeftConfig.of(PeftMethod.FULL), c).close())
                .isInstanceOf(UserInputException.class).hasMessageContaining("bare.jsonl")
                .hasMessageContaining("answer");
        assertThat(out).doesNotExist();
    }

    private static Double metric(String line, String key) throws IOException {
        JsonNode v = Json.mapper().readTree(line).get(key);
        return v == null ? null : v.asDouble();
    }
}
