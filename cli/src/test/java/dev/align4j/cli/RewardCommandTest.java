package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;
import dev.align4j.datasets.template.Templates;
import dev.align4j.datasets.tokenize.PreferenceEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RewardCommandTest {

    @TempDir
    static Path tmp;
    static Path rm;
    static Path pairs;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void rewardModelFolder() throws IOException {
        ByteTokenizer tok = new ByteTokenizer();
        ModelBundle base = ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 64, 16, 1, 2), tok, Templates.PLAIN,
                Device.cpu(), 4);
        try (RewardBundle b = RewardBundle.create(base, new PreferenceEncoder.Config(48, 24))) {
            // a head that reads a random direction, so rewards differ between replies
            b.headParameters().values().forEach(p -> p.getArray().set(
                    p.getArray().getManager().randomNormal(p.getArray().getShape()).toFloatArray()));
            b.setStats(new RewardStats(0, 1, 0, "test"));
            b.save(tmp.resolve("rm"), Map.of("max_length", 48, "max_prompt_length", 24), Map.of());
        }
        rm = tmp.resolve("rm");
        pairs = tmp.resolve("pairs.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            sb.append(Json.line(Map.of("prompt", "p" + i, "chosen", " good " + i, "rejected", " bad", "id", i)))
                    .append('\n');
        }
        Files.writeString(pairs, sb.toString());
    }

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void scoreAddsRewardFieldsAndKeepsTheRecords() throws IOException {
        Path completions = tmp.resolve("completions.jsonl");
        Files.writeString(completions, "{\"prompt\": \"the plot\", \"completion\": \" was great .\", \"n\": 1}\n"
                + "{\"prompt\": \"the plot\", \"completion\": \" was dull .\", \"n\": 2}\n");
        Path scored = tmp.resolve("scored.jsonl");
        assertThat(run("reward", "score", "--model", rm.toString(), "--data", completions.toString(),
                "--out", scored.toString())).isEqualTo(0);
        List<String> lines = Files.readAllLines(scored);
        assertThat(lines).hasSize(2);
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertThat(first.get("n").asInt()).isEqualTo(1);
        assertThat(first.get("completion").asText()).isEqualTo(" was great .");
        assertThat(first.get("reward").isNumber()).isTrue();

        Path scoredPairs = tmp.resolve("scored-pairs.jsonl");
        assertThat(run("reward", "score", "--model", rm.toString(), "--data", pairs.toString(),
                "--out", scoredPairs.toString())).isEqualTo(0);
        JsonNode p = Json.mapper().readTree(Files.readAllLines(scoredPairs).get(3));
        assertThat(p.get("id").asInt()).isEqualTo(3);
        assertThat(p.get("reward_chosen").isNumber()).isTrue();
        assertThat(p.get("reward_rejected").isNumber()).isTrue();
        assertThat(p.get("reward_chosen").asDouble()).isNotEqualTo(p.get("reward_rejected").asDouble());
    }

    @Test
    void evalCalibrationTableCoversEveryPair() throws IOException {
        assertThat(run("reward", "eval", "--model", rm.toString(), "--data", pairs.toString(), "--bins", "3",
                "--json")).isEqualTo(0);
        JsonNode o = Json.mapper().readTree(out.toString().trim());
        assertThat(o.get("pairs").asInt()).isEqualTo(7);
        int sum = 0;
        int correct = 0;
        for (JsonNode bin : o.get("calibration")) {
            sum += bin.get("count").asInt();
            correct += bin.get("correct").asInt();
        }
        assertThat(sum).isEqualTo(7);
        assertThat(o.get("calibration")).hasSize(3);
        assertThat(o.get("accuracy").asDouble()).isEqualTo(correct / 7.0);
    }

    @Test
    void aBadRecordExits2WithFileAndLineBeforeWritingAnything() throws IOException {
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n"
                + "{\"prompt\": \"a\", \"chosen\": \"b\"}\n");
        Path scored = tmp.resolve("never.jsonl");
        assertThat(run("reward", "score", "--model", rm.toString(), "--data", bad.toString(),
                "--out", scored.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(bad + ":2");
        assertThat(scored).doesNotExist();
        // a plain model folder is refused with a clear message
        Path plain = tmp.resolve("plain");
        try (RewardBundle b = RewardBundle.load(rm, Device.cpu())) {
            b.base().save(plain, null);
        }
        assertThat(run("reward", "eval", "--model", plain.toString(), "--data", pairs.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not a reward model folder");
    }
}
