package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;

import dev.align4j.datasets.bundle.ModelBundle;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** {@code align4j pretrain} end to end through picocli on a tiny text and model. */
class PretrainCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private Path tinyModel() throws IOException {
        Path f = dir.resolve("tiny.yaml");
        Files.writeString(f, "architecture: gpt2\ncontext_length: 32\nd_model: 16\nn_layers: 1\nn_heads: 2\n"
                + "ffn_hidden: 32\ntie_word_embeddings: true\nbias: true\n");
        return f;
    }

    @Test
    void trainsATinyModelAndWritesTheRunFolder() throws IOException {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "the cat sat on the mat and the dog sat on the log. ".repeat(40));
        Path outDir = dir.resolve("run");
        int rc = run("pretrain", "--text", text.toString(), "--model-config", tinyModel().toString(),
                "--max-steps", "4", "--seq-len", "16", "--batch-size", "4", "--device", "cpu",
                "--output-dir", outDir.toString(), "--set", "logging_steps=2");
        assertThat(rc).as(err.toString()).isZero();
        for (String f : List.of("config.json", "run.json", "metrics.jsonl", "run.log", "provenance.json",
                "samples.jsonl", "model/model.safetensors", "model/provenance.json")) {
            assertThat(outDir.resolve(f)).as(f).isRegularFile();
        }
        assertThat(outDir.resolve("checkpoints/step-4")).isDirectory();
        assertThat(out.toString()).contains("step 2/4", "step 4/4", "done: 4 steps");
        assertThat(Files.readString(outDir.resolve("config.json"))).contains("\"seq_len\" : 16", "\"learning_rate\" : 0.003");
        try (ModelBundle m = ModelBundle.load(outDir.resolve("model"), Device.cpu(), null)) {
            assertThat(m.config().dModel()).isEqualTo(16);
            assertThat(m.tokenizer().vocabSize()).isEqualTo(m.config().vocabSize());
        }
        // --resume continues to a larger step count from the latest checkpoint
        rc = run("pretrain", "--text", text.toString(), "--model-config", tinyModel().toString(),
                "--max-steps", "6", "--seq-len", "16", "--batch-size", "4", "--device", "cpu",
                "--output-dir", outDir.toString(), "--resume");
        assertThat(rc).as(err.toString()).isZero();
        assertThat(outDir.resolve("checkpoints/step-6")).isDirectory();
    }

    @Test
    void missingTextIsBadInputAndWritesNothing() {
        Path outDir = dir.resolve("never");
        int rc = run("pretrain", "--text", dir.resolve("nope.txt").toString(), "--output-dir", outDir.toString());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("nope.txt: no such file");
        assertThat(outDir).doesNotExist();
    }

    @Test
    void builtinQuickstartCorpusIsOnTheClasspath() {
        String text = PretrainCommand.read(PretrainCommand.QUICKSTART).content();
        assertThat(text.length()).isBetween(50_000, 150_000);
        assertThat(text).contains("The river begins");
    }
}
