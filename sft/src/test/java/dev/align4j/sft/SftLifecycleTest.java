package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.io.Json;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.NonFiniteGuard;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.run.RunStatus;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.TrainingArgs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The run lifecycle's Ctrl-C, --resume and non-finite behaviour for SFT and pretraining. */
class SftLifecycleTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        Interrupts.clear();
    }

    private Map<String, String> common(Path out) throws IOException {
        Path model = dir.resolve("model.yaml");
        Files.writeString(model, "architecture: gpt2\ncontext_length: 48\nd_model: 16\nn_layers: 1\nn_heads: 2\n"
                + "ffn_hidden: 32\ntie_word_embeddings: true\nbias: true\n");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("model_config", model.toString());
        o.put("output_dir", out.toString());
        o.put("per_device_train_batch_size", "2");
        o.put("learning_rate", "0.01");
        o.put("device", "cpu");
        o.put("max_steps", "4");
        o.put("num_samples", "1");
        o.put("sample_max_new_tokens", "3");
        return o;
    }

    private PreparedRun sft(Path out, Map<String, String> extra) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append(Json.line(Map.of("prompt", "name " + i + ":", "completion", " w" + i % 3))).append('\n');
        }
        Path data = dir.resolve("data.jsonl");
        Files.writeString(data, sb.toString());
        Map<String, String> o = common(out);
        o.put("data", "[" + data + "]");
        o.put("cutoff_len", "32");
        o.put("val_set_size", "2");
        o.putAll(extra);
        ConfigLoader.Parts p = ConfigLoader.loadParts(null, o, TrainingArgs.class, PeftConfig.class, SftConfig.class);
        return SftTrainer.prepare(p.get(TrainingArgs.class), p.get(PeftConfig.class), p.get(SftConfig.class));
    }

    private PreparedRun pretrain(Path out, Map<String, String> extra) throws IOException {
        Map<String, String> o = common(out);
        o.put("text", "[t]");
        o.put("seq_len", "16");
        o.put("val_set_size", "1");
        o.putAll(extra);
        ConfigLoader.Parts p = ConfigLoader.loadParts(null, o, TrainingArgs.class, PretrainConfig.class);
        String text = "the river begins in the hills and runs to the sea. ".repeat(8);
        return Pretrainer.prepare(p.get(TrainingArgs.class), p.get(PretrainConfig.class),
                List.of(new Pretrainer.Text("t", text)));
    }

    private interface Prep {
        PreparedRun at(Path out, Map<String, String> extra) throws IOException;
    }

    private void ctrlCThenResume(String name, Prep prep) throws IOException {
        Path straight = dir.resolve(name + "-straight");
        try (PreparedRun run = prep.at(straight, Map.of())) {
            assertThat(run.train().status()).isEqualTo(RunStatus.FINISHED);
        }
        Path parted = dir.resolve(name + "-parted");
        RunResult stopped;
        try (PreparedRun run = prep.at(parted, Map.of())) {
            Interrupts.request();
            stopped = run.train();
        }
        Interrupts.clear();
        assertThat(stopped.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(stopped.steps()).isEqualTo(1);
        assertThat(stopped.modelDir()).isNull();
        assertThat(parted.resolve("model")).doesNotExist();
        assertThat(parted.resolve("samples.jsonl")).doesNotExist();
        assertThat(Checkpoint.latest(Checkpoint.dir(parted)).map(Checkpoint::step)).contains(1L);
        try (PreparedRun run = prep.at(parted, Map.of("resume_from_checkpoint", "latest"))) {
            assertThat(run.train().steps()).isEqualTo(4);
        }
        for (String f : List.of("model/model.safetensors", "samples.jsonl")) {
            assertThat(Files.readAllBytes(parted.resolve(f))).as(name + " " + f)
                    .isEqualTo(Files.readAllBytes(straight.resolve(f)));
        }
    }

    @Test
    void sftCtrlCCheckpointsExportsNothingAndResumeEqualsAStraightRun() throws IOException {
        ctrlCThenResume("sft", this::sft);
    }

    @Test
    void pretrainCtrlCCheckpointsExportsNothingAndResumeEqualsAStraightRun() throws IOException {
        ctrlCThenResume("pretrain", this::pretrain);
    }

    @Test
    void resumeWithoutACheckpointIsBadInputAndWritesNothing() {
        for (Prep prep : List.<Prep>of(this::sft, this::pretrain)) {
            Path out = dir.resolve("nothing");
            assertThatThrownBy(() -> prep.at(out, Map.of("resume_from_checkpoint", "latest")).close())
                    .isInstanceOf(UserInputException.class).hasMessageContaining("no complete checkpoint");
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingTheStep() throws IOException {
        for (Prep prep : List.<Prep>of(this::sft, this::pretrain)) {
            Path out = dir.resolve("nan-" + System.nanoTime());
            try (PreparedRun run = prep.at(out, Map.of("learning_rate", "1e38", "lr_scheduler_type", "constant"))) {
                assertThatThrownBy(run::train).isInstanceOf(NonFiniteGuard.NonFiniteException.class)
                        .hasMessageMatching("(?s).* is (NaN|Infinity|-Infinity) at step \\d.*");
            }
            assertThat(out.resolve("model")).doesNotExist();
        }
    }
}
