package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.bench.killresume.Child;
import dev.align4j.bench.killresume.KillResume;
import dev.align4j.bench.killresume.KillResumeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the real CLI in child JVMs (the test class path, {@code dev.align4j.cli.Main}): a
 * {@code kill -9} at a seeded moment during SFT and during PPO, then {@code --resume}, gives the same
 * final bytes as the uninterrupted run (the harness of {@code bench/kill-resume.sh}, which runs many
 * more trials over all four methods); SIGTERM checkpoints, exits 130 and names the command that
 * resumes; a second SIGTERM exits 130 at once.
 */
class KillResumeTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path tmp;

    static KillResume harness;

    @BeforeAll
    static void fixtures() throws InterruptedException {
        harness = KillResume.prepare(Child.Launcher.current(), tmp,
                EnumSet.of(KillResumeMethod.SFT, KillResumeMethod.PPO));
    }

    @Test
    void sftKilledAndResumedGivesTheUninterruptedBytes() throws InterruptedException {
        // seed 1: one kill, after step 8 of 12 plus 0.9 of two step times (between the step-6 and step-9 checkpoints)
        KillResume.Trial t = harness.trial(KillResumeMethod.SFT, 1);
        assertThat(t.kills()).as(t.line()).isEqualTo(1);
        assertThat(t.differing()).as(t.line()).isEmpty();
        assertThat(harness.baseline(KillResumeMethod.SFT).hashes()).containsKeys("model/model.safetensors",
                "samples.jsonl");
    }

    @Test
    void ppoKilledAndResumedGivesTheUninterruptedBytes() throws InterruptedException {
        KillResume.Trial t = harness.trial(KillResumeMethod.PPO, 4);
        assertThat(t.kills()).as(t.line()).isEqualTo(1);
        assertThat(t.differing()).as(t.line()).isEmpty();
        assertThat(harness.baseline(KillResumeMethod.PPO).hashes()).containsKeys("model/model.safetensors",
                "adapter/adapter_model.safetensors", "samples.jsonl");
    }

    @Test
    void sigtermCheckpointsExits130AndNamesTheResumeCommand() throws Exception {
        Path out = tmp.resolve("sigterm");
        List<String> args = KillResumeMethod.SFT.args(harness.fixtures(), out, false);
        Child c = Child.start(Child.Launcher.current(), args, tmp.resolve("sigterm-run0.log"));
        assertThat(c.awaitStep(4, TIMEOUT)).as(c.tail(3000)).isTrue();
        c.terminate(); // SIGTERM
        int code = c.await(TIMEOUT);
        String log = c.output();
        assertThat(code).as(c.tail(3000)).isEqualTo(130);
        assertThat(log).contains("SIGTERM: finishing the current step and saving a checkpoint");
        // the exact command, as the CLI's launcher name plus these arguments plus --resume
        String resume = "align4j " + String.join(" ", args) + " --resume";
        assertThat(log).contains("To continue, run: " + resume);
        long stopped = c.lastStep();
        assertThat(stopped).isBetween(4L, KillResumeMethod.SFT.steps() - 1);
        assertThat(out.resolve("checkpoints/step-" + stopped + "/manifest.json")).as(log).isRegularFile();
        assertThat(out.resolve("model")).doesNotExist();

        List<String> again = new ArrayList<>(args);
        again.add("--resume");
        Child r = Child.start(Child.Launcher.current(), again, tmp.resolve("sigterm-run1.log"));
        assertThat(r.await(TIMEOUT)).as(r.tail(3000)).isZero();
        assertThat(r.output()).contains("resumed from " + out.resolve("checkpoints/step-" + stopped));
        assertThat(KillResume.finalBytes(out)).isEqualTo(harness.baseline(KillResumeMethod.SFT).hashes());
    }

    @Test
    void aSecondSigtermExits130AtOnceKeepingTheLastCheckpoint() throws Exception {
        Path out = tmp.resolve("sigterm2");
        List<String> args = new ArrayList<>(KillResumeMethod.SFT.args(harness.fixtures(), out, false));
        // slow steps (4 micro-batches of 8), so the second signal lands while the first still waits for its step
        args.addAll(List.of("--set", "per_device_train_batch_size=8", "--set", "gradient_accumulation_steps=4"));
        Child c = Child.start(Child.Launcher.current(), args, tmp.resolve("sigterm2.log"));
        awaitLine(c, "checkpoint " + out.resolve("checkpoints/step-3")); // now in step 4
        c.terminate();
        awaitLine(c, "SIGTERM: finishing the current step");
        long second = System.nanoTime();
        c.terminate();
        int code = c.await(TIMEOUT);
        double seconds = (System.nanoTime() - second) / 1e9;
        assertThat(code).as(c.tail(3000)).isEqualTo(130);
        assertThat(c.output()).contains("SIGTERM again: exiting now; the last complete checkpoint is kept")
                .doesNotContain("To continue, run:");
        assertThat(seconds).as("seconds from the second SIGTERM to the exit").isLessThan(5);
        assertThat(out.resolve("model")).doesNotExist();
        try (Stream<Path> cps = Files.list(out.resolve("checkpoints"))) {
            // step-3 was complete before the first signal; nothing half-written under a final name
            assertThat(cps.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step-")))
                    .contains("step-3")
                    .allMatch(n -> Files.isRegularFile(out.resolve("checkpoints").resolve(n).resolve("manifest.json")));
        }
    }

    private static void awaitLine(Child c, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!c.output().contains(text)) {
            assertThat(c.alive() && System.nanoTime() < deadline).as("waiting for '%s':%n%s", text, c.tail(3000))
                    .isTrue();
            Thread.sleep(2);
        }
    }
}
