package dev.align4j.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.run.NonFiniteGuard;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.run.RunStatus;
import dev.align4j.core.train.Checkpoint;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The run lifecycle's Ctrl-C, --resume and non-finite behaviour for the reward trainer. */
class RewardLifecycleTest {

    @TempDir
    static Path tmp;
    static Path base;
    static Path data;

    @BeforeAll
    static void fixtures() throws IOException {
        base = Synthetic.baseModel(tmp.resolve("base"));
        data = Synthetic.pairs(tmp.resolve("pairs.jsonl"), 24, 5);
    }

    @AfterEach
    void clear() {
        Interrupts.clear();
    }

    private static RewardSettings settings(Path out, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", base.toString());
        m.put("data", data.toString());
        m.put("output_dir", out.toString());
        m.put("max_length", "32");
        m.put("val_set_size", "8");
        m.put("max_steps", "4");
        m.put("per_device_train_batch_size", "4");
        m.put("per_device_eval_batch_size", "8");
        m.put("learning_rate", "3e-3");
        m.put("device", "cpu");
        m.putAll(extra);
        return RewardSettings.load(null, m);
    }

    @Test
    void ctrlCCheckpointsExportsNothingAndResumeEqualsAStraightRun() throws IOException {
        Path straight = tmp.resolve("straight");
        assertThat(RewardTrainer.train(settings(straight, Map.of())).status()).isEqualTo(RunStatus.FINISHED);

        Path parted = tmp.resolve("parted");
        RunResult stopped;
        try (RewardRun run = RewardTrainer.prepare(settings(parted, Map.of()))) {
            Interrupts.request();
            stopped = run.train();
        }
        Interrupts.clear();
        assertThat(stopped.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(stopped.steps()).isEqualTo(1);
        assertThat(stopped.modelDir()).isNull();
        assertThat(parted.resolve("model")).doesNotExist();
        assertThat(parted.resolve("provenance.json")).doesNotExist();
        assertThat(Checkpoint.latest(Checkpoint.dir(parted))).isPresent();

        RunResult resumed = RewardTrainer.train(settings(parted, Map.of("resume_from_checkpoint", "latest")));
        assertThat(resumed.steps()).isEqualTo(4);
        for (String f : new String[] {"model/model.safetensors", "model/" + dev.align4j.datasets.bundle.RewardBundle.HEAD}) {
            assertThat(Files.readAllBytes(parted.resolve(f))).as(f).isEqualTo(Files.readAllBytes(straight.resolve(f)));
        }
    }

    @Test
    void resumeWithoutACheckpointIsBadInputAndWritesNothing() {
        Path out = tmp.resolve("nothing");
        assertThatThrownBy(() -> RewardTrainer.prepare(settings(out, Map.of("resume_from_checkpoint", "latest"))))
                .isInstanceOf(UserInputException.class).hasMessageContaining("no complete checkpoint");
        assertThat(out).doesNotExist();
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingTheStep() {
        Path out = tmp.resolve("nan");
        assertThatThrownBy(() -> RewardTrainer.train(settings(out, Map.of("learning_rate", "1e38",
                "lr_scheduler_type", "constant"))))
                .isInstanceOf(NonFiniteGuard.NonFiniteException.class)
                .hasMessageMatching("(?s).* is (NaN|Infinity|-Infinity) at step \\d.*");
        assertThat(out.resolve("model")).doesNotExist();
    }
}
