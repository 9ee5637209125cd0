package dev.align4j.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.run.NonFiniteGuard;
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

/** The run lifecycle's Ctrl-C, --resume and non-finite behaviour for DPO. */
class DpoLifecycleTest {

    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        Interrupts.clear();
    }

    private DpoConfig config(Path model, Path data) {
        return new DpoConfig(model.toString(), null, data.toString(), null, null, null, DpoLossType.SIGMOID, null,
                null, null, null, null, 32, 16, 0.0, null, null, null, null, 2, 4, null, null);
    }

    @Test
    void ctrlCCheckpointsExportsNothingAndResumeEqualsAStraightRun() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 21);
        Path data = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 12, 22);
        DpoConfig cfg = config(model, data);
        PeftConfig full = PeftConfig.of(PeftMethod.FULL);
        Path straight = tmp.resolve("straight");
        assertThat(DpoTrainer.train(DpoFixtures.args(straight, 3).build(), full, cfg).status())
                .isEqualTo(RunStatus.FINISHED);

        Path parted = tmp.resolve("parted");
        RunResult stopped;
        try (DpoRun run = DpoTrainer.prepare(DpoFixtures.args(parted, 3).build(), full, cfg)) {
            Interrupts.request();
            stopped = run.train();
        }
        Interrupts.clear();
        assertThat(stopped.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(stopped.steps()).isEqualTo(1);
        assertThat(stopped.modelDir()).isNull();
        assertThat(parted.resolve("model")).doesNotExist();
        assertThat(parted.resolve("samples.jsonl")).doesNotExist();
        assertThat(Checkpoint.latest(Checkpoint.dir(parted))).isPresent();

        RunResult resumed = DpoTrainer.train(DpoFixtures.args(parted, 3).resumeFromCheckpoint("latest").build(),
                full, cfg);
        assertThat(resumed.steps()).isEqualTo(3);
        assertThat(Files.readAllBytes(parted.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(straight.resolve("model/model.safetensors")));
        assertThat(Files.readString(parted.resolve("samples.jsonl")))
                .isEqualTo(Files.readString(straight.resolve("samples.jsonl")));
    }

    @Test
    void resumeWithoutACheckpointIsBadInputAndWritesNothing() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 23);
        Path data = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 8, 24);
        Path out = tmp.resolve("nothing");
        TrainingArgs args = DpoFixtures.args(out, 2).resumeFromCheckpoint("latest").build();
        assertThatThrownBy(() -> DpoTrainer.prepare(args, PeftConfig.of(PeftMethod.FULL), config(model, data)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("no complete checkpoint");
        assertThat(out).doesNotExist();
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingTheStep() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 25);
        Path data = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 8, 26);
        Path out = tmp.resolve("nan");
        TrainingArgs args = DpoFixtures.args(out, 3).learningRate(1e38).lrSchedulerType(
                dev.align4j.core.train.SchedulerType.CONSTANT).build();
        assertThatThrownBy(() -> DpoTrainer.train(args, PeftConfig.of(PeftMethod.FULL), config(model, data)))
                .isInstanceOf(NonFiniteGuard.NonFiniteException.class)
                .hasMessageMatching("(?s).* is (NaN|Infinity|-Infinity) at step \\d.*");
        assertThat(out.resolve("model")).doesNotExist();
    }
}
