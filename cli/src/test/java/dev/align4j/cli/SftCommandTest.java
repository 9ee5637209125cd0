package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** {@code align4j sft} through picocli: flags over the YAML, and bad data stopping before any output. */
class SftCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private Path config(Path data) throws IOException {
        Path model = dir.resolve("tiny.yaml");
        Files.writeString(model, "architecture: gpt2\ncontext_length: 48\nd_model: 16\nn_layers: 1\nn_heads: 2\n"
                + "ffn_hidden: 32\ntie_word_embeddings: true\nbias: true\n");
        Path cfg = dir.resolve("sft.yaml");
        Files.writeString(cfg, "model_config: " + model + "\ndata: [" + data + "]\ncutoff_len: 40\n"
                + "template: plain\nval_set_size: 2\nnum_samples: 1\nsample_max_new_tokens: 2\nmethod: lora\n"
                + "lora_target_modules: [all-linear]\noutput_dir: " + dir.resolve("from-yaml") + "\n"
                + "max_steps: 50\nper_device_train_batch_size: 2\nlearning_rate: 1.0e-2\ndevice: cpu\n");
        return cfg;
    }

    @Test
    void flagsOverrideTheConfigFile() throws IOException {
        Path data = dir.resolve("d.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append("{\"instruction\": \"say ").append(i).append("\", \"output\": \"").append(i).append("\"}\n");
        }
        Files.writeString(data, sb.toString());
        Path outDir = dir.resolve("flags");
        int rc = run("sft", "--config", config(data).toString(), "--method", "full", "--max-steps", "2",
                "--output-dir", outDir.toString(), "--set", "logging_steps=1");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("method full", "step 2/2", "done: 2 steps");
        assertThat(outDir.resolve("model/model.safetensors")).isRegularFile();
        assertThat(outDir.resolve("adapter")).doesNotExist();
        assertThat(dir.resolve("from-yaml")).doesNotExist();
        assertThat(Files.readString(outDir.resolve("config.json"))).contains("\"template\" : \"plain\"", "\"method\" : \"full\"");
    }

    @Test
    void aBadRecordExitsTwoBeforeTheRunFolderExists() throws IOException {
        Path data = dir.resolve("bad.jsonl");
        Files.writeString(data, "{\"instruction\": \"a\", \"output\": \"b\"}\n{\"instruction\": \"a\"}\n");
        Path outDir = dir.resolve("bad-run");
        int rc = run("sft", "--config", config(data).toString(), "--output-dir", outDir.toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains(data + ":2");
        assertThat(outDir).doesNotExist();
    }
}
