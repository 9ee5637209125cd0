package dev.align4j.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Safetensors;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.run.NonFiniteGuard;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.datasets.bundle.RewardBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run lifecycle's --resume and non-finite behaviour for PPO (Ctrl-C + resume byte for byte is
 * PpoTrainerTest.interruptedAndResumedEqualsUninterrupted).
 */
class PpoLifecycleTest {

    @TempDir
    static Path tmp;
    static Path policy;
    static Path rm;
    static Path prompts;

    @BeforeAll
    static void fixtures() throws IOException {
        policy = PpoFixtures.policy(tmp.resolve("sft"), 31);
        rm = PpoFixtures.rewardModel(policy, tmp.resolve("rm"), 32);
        prompts = PpoFixtures.prompts(tmp.resolve("prompts.jsonl"), 8, 33);
    }

    @Test
    void resumeWithoutACheckpointIsBadInputAndWritesNothing() {
        Path out = tmp.resolve("nothing");
        assertThatThrownBy(() -> PpoTrainer.prepare(PpoFixtures.args(out).resumeFromCheckpoint("latest").build(),
                PeftConfig.of(PeftMethod.FULL), PpoFixtures.config(policy, rm, prompts, 1)).close())
                .isInstanceOf(UserInputException.class).hasMessageContaining("no complete checkpoint");
        assertThat(out).doesNotExist();
    }

    @Test
    void aNonFiniteScoreStopsTheRunNamingTheMetricAndStep() throws IOException {
        // a reward model whose head is NaN: every score, and so every reward, is NaN
        Path nanRm = tmp.resolve("nan-rm");
        try (Stream<Path> files = Files.walk(rm)) {
            for (Path f : files.toList()) {
                Files.copy(f, nanRm.resolve(rm.relativize(f).toString()));
            }
        }
        try (RewardBundle b = RewardBundle.load(rm, Device.cpu())) {
            Map<String, NDArray> head = new LinkedHashMap<>();
            b.headParameters().forEach((k, p) -> head.put(k, p.getArray().mul(Float.NaN)));
            Safetensors.save(nanRm.resolve(RewardBundle.HEAD), head);
        }
        Path out = tmp.resolve("nan");
        assertThatThrownBy(() -> PpoTrainer.train(PpoFixtures.args(out).build(), PeftConfig.of(PeftMethod.FULL),
                PpoFixtures.config(policy, nanRm, prompts, 2)))
                .isInstanceOf(NonFiniteGuard.NonFiniteException.class)
                .hasMessageContaining("score is NaN at step 1").hasMessageContaining("Last good checkpoint: none");
        assertThat(out.resolve("model")).doesNotExist();
        assertThat(Checkpoint.latest(Checkpoint.dir(out))).isEmpty();
    }
}
