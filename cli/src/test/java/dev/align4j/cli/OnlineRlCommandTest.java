package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.Templates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code align4j grpo|rloo|reinforce-pp} on a tiny model: runs, the subcommand's algorithm, bad input. */
class OnlineRlCommandTest {

    @TempDir
    static Path tmp;
    static Path sft;
    static Path prompts;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void fixtures() throws IOException {
        ByteTokenizer tok = new ByteTokenizer();
        sft = tmp.resolve("sft");
        try (ModelBundle b = ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 32, 16, 1, 2), tok, Templates.PLAIN,
                Device.cpu(), 1)) {
            b.save(sft, null);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append("{\"prompt\": \"").append(i).append("+1=\", \"answer\": ").append(i + 1).append("}\n");
        }
        prompts = Files.writeString(tmp.resolve("prompts.jsonl"), sb.toString());
    }

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path yaml(String name, String extra) throws IOException {
        return Files.writeString(tmp.resolve(name), """
                rollout_batch_size: 2
                max_new_tokens: 4
                max_steps: 2
                sample_n: 2
                per_device_train_batch_size: 4
                learning_rate: 1.0e-3
                device: cpu
                seed: 3
                """ + extra);
    }

    @Test
    void eachSubcommandTrainsItsAlgorithmFromTheCli() throws IOException {
        String[][] cases = {{"grpo", "grpo", "num_generations: 2\n"}, {"rloo", "rloo", ""},
            {"reinforce-pp", "reinforce_pp", ""}};
        for (String[] c : cases) {
            Path outDir = tmp.resolve("out-" + c[0]);
            int code = run(c[0], "--config", yaml(c[0] + ".yaml", c[2]).toString(), "--policy", sft.toString(),
                    "--prompts", prompts.toString(), "--reward", "exact-match,regex:[0-9]", "--output-dir",
                    outDir.toString());
            assertThat(code).as(c[0] + ": " + err).isZero();
            assertThat(out.toString()).contains(c[1] + ": 2 iterations");
            JsonNode cfg = Json.mapper().readTree(outDir.resolve("config.json").toFile());
            assertThat(cfg.get("algorithm").asText()).isEqualTo(c[1]);
            assertThat(outDir.resolve("model/model.safetensors")).exists();
            assertThat(Files.readAllLines(outDir.resolve("samples.jsonl"))).hasSize(2);
        }
    }

    @Test
    void theFilesAlgorithmWinsOverTheSubcommandsAndBadInputExits2WritingNothing() throws IOException {
        Path outDir = tmp.resolve("file-algo");
        int code = run("grpo", "--config", yaml("algo.yaml", "algorithm: rloo\n").toString(), "--policy",
                sft.toString(), "--prompts", prompts.toString(), "--reward", "exact-match", "--output-dir",
                outDir.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(Json.mapper().readTree(outDir.resolve("config.json").toFile()).get("num_generations").asInt())
                .isEqualTo(2); // rloo's default, not grpo's 8
        Path never = tmp.resolve("never");
        int bad = run("grpo", "--config", yaml("bad.yaml", "loss_type: mean\n").toString(), "--policy",
                sft.toString(), "--prompts", prompts.toString(), "--reward", "exact-match", "--output-dir",
                never.toString());
        assertThat(bad).isEqualTo(2);
        assertThat(err.toString()).contains("loss_type").contains("bad.yaml");
        assertThat(never).doesNotExist();
        int noReward = run("rloo", "--config", yaml("nor.yaml", "").toString(), "--policy", sft.toString(),
                "--prompts", prompts.toString(), "--output-dir", never.toString());
        assertThat(noReward).isEqualTo(2);
        assertThat(err.toString()).contains("reward_funcs");
        assertThat(never).doesNotExist();
    }
}
