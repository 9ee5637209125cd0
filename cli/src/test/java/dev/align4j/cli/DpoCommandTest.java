package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DpoCommandTest {

    @TempDir
    Path tmp;

    private Path model;
    private Path data;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void fixture() throws IOException {
        ByteTokenizer tok = new ByteTokenizer();
        model = tmp.resolve("sft");
        try (ModelBundle b = ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 32, 16, 1, 2), tok,
                Templates.PLAIN, Device.cpu(), 1)) {
            b.save(model, null);
        }
        Random rng = new Random(3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String body = " " + (char) ('a' + rng.nextInt(5)) + (char) ('a' + rng.nextInt(5));
            lines.add("{\"prompt\": \"p" + i + "\", \"chosen\": \"" + body + "A\", \"rejected\": \"" + body + "B\"}");
        }
        data = Files.write(tmp.resolve("pairs.jsonl"), lines);
    }

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path yaml(String extra) throws IOException {
        return Files.writeString(tmp.resolve("dpo.yaml"), """
                model: %s
                data: %s
                method: full
                max_steps: 50
                per_device_train_batch_size: 4
                learning_rate: 0.001
                val_set_size: 4
                max_length: 24
                sample_n: 2
                max_new_tokens: 4
                device: cpu
                logging_steps: 1
                """.formatted(model, data) + extra);
    }

    @Test
    void trainsFromAConfigWithFlagsOverridingIt() throws IOException {
        Path run = tmp.resolve("run");
        int code = run("dpo", "--config", yaml("output_dir: elsewhere\n").toString(), "--output-dir", run.toString(),
                "--max-steps", "3", "--loss-type", "ipo", "--beta", "0.2");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("dpo: 3 steps", "eval_rewards/accuracies", "model: ");
        assertThat(run.resolve("model").resolve("provenance.json")).exists();
        assertThat(run.resolve("samples.jsonl")).exists();
        assertThat(run.resolve("ref_logps.jsonl")).exists();
        assertThat(run.resolve("run.log")).exists();
        var cfg = Json.mapper().readTree(run.resolve("config.json").toFile());
        assertThat(cfg.get("loss_type").asText()).isEqualTo("IPO");
        assertThat(cfg.get("beta").asDouble()).isEqualTo(0.2);
        assertThat(cfg.get("max_steps").asLong()).isEqualTo(3);
        assertThat(cfg.get("method").asText()).isEqualToIgnoringCase("full");
        assertThat(Files.readString(run.resolve("metrics.jsonl"))).contains("\"rewards/margins\"");
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void aBadRecordExitsTwoBeforeWritingAnything() throws IOException {
        Files.writeString(data, "{\"prompt\": \"a\", \"chosen\": \" bA\", \"rejected\": \" bB\"}\n{\"prompt\": \"a\"}\n");
        Path run = tmp.resolve("run");
        int code = run("dpo", "--config", yaml("").toString(), "--output-dir", run.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(data + ":2");
        assertThat(run).doesNotExist();
    }

    @Test
    void aBadValueOrUnknownKeyExitsTwoNamingIt() throws IOException {
        Path run = tmp.resolve("run");
        assertThat(run("dpo", "--config", yaml("betta: 0.3\n").toString(), "--output-dir", run.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("betta: unknown key (did you mean beta?)");
        assertThat(run("dpo", "--config", yaml("").toString(), "--output-dir", run.toString(), "--beta", "-1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("beta: must be a finite number > 0, got -1.0");
        assertThat(run).doesNotExist();
    }
}
