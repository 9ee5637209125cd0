package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.config.Interrupts;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code --resume} on every training command, and Ctrl-C's exit 130, through picocli. */
class ResumeOptionTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void clear() {
        Interrupts.clear();
    }

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void everyTrainingCommandTakesResume() {
        for (List<String> cmd : List.of(List.of("pretrain"), List.of("sft"), List.of("reward", "train"),
                List.of("dpo"), List.of("ppo"))) {
            CommandLine cl = Main.newCommandLine();
            CommandLine sub = cl;
            for (String c : cmd) {
                sub = sub.getSubcommands().get(c);
            }
            assertThat(sub.getCommandSpec().findOption("--resume")).as(String.join(" ", cmd)).isNotNull();
        }
    }

    private Path sftConfig(Path outDir) throws IOException {
        Path data = dir.resolve("d.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append("{\"instruction\": \"say ").append(i).append("\", \"output\": \"").append(i).append("\"}\n");
        }
        Files.writeString(data, sb.toString());
        Path model = dir.resolve("tiny.yaml");
        Files.writeString(model, "architecture: gpt2\ncontext_length: 48\nd_model: 16\nn_layers: 1\nn_heads: 2\n"
                + "ffn_hidden: 32\ntie_word_embeddings: true\nbias: true\n");
        Path cfg = dir.resolve("sft.yaml");
        Files.writeString(cfg, "model_config: " + model + "\ndata: [" + data + "]\ncutoff_len: 40\n"
                + "template: plain\nval_set_size: 2\nnum_samples: 1\nsample_max_new_tokens: 2\nmethod: full\n"
                + "max_steps: 3\nper_device_train_batch_size: 2\n"
                + "learning_rate: 1.0e-2\ndevice: cpu\nlogging_steps: 1\n");
        return cfg;
    }

    @Test
    void resumeWithoutACheckpointExitsTwoAndWritesNothing() throws IOException {
        Path outDir = dir.resolve("fresh");
        assertThat(run("sft", "--config", sftConfig(outDir).toString(), "--output-dir", outDir.toString(), "--resume")).isEqualTo(2);
        assertThat(err.toString()).contains("no complete checkpoint");
        assertThat(outDir).doesNotExist();
        assertThat(run("pretrain", "--text", PretrainCommand.QUICKSTART, "--output-dir", outDir.toString(),
                "--max-steps", "1", "--device", "cpu", "--resume")).isEqualTo(2);
        assertThat(outDir).doesNotExist();
    }

    @Test
    void ctrlCExits130WithNoModelAndResumeFinishesTheRun() throws IOException {
        Path outDir = dir.resolve("run");
        Path cfg = sftConfig(outDir);
        Interrupts.request();
        assertThat(run("sft", "--config", cfg.toString(), "--output-dir", outDir.toString())).as(err.toString()).isEqualTo(TrainOutput.INTERRUPTED);
        Interrupts.clear();
        assertThat(out.toString()).contains("interrupted at step 1", "--resume");
        assertThat(outDir.resolve("model")).doesNotExist();
        assertThat(outDir.resolve("checkpoints/step-1")).isDirectory();
        assertThat(run("sft", "--config", cfg.toString(), "--output-dir", outDir.toString(), "--resume")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("done: 3 steps");
        assertThat(outDir.resolve("model/model.safetensors")).isRegularFile();
    }
}
