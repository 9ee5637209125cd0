package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;

import dev.align4j.core.UserInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Devices, DataOrder, Checkpoint folder bookkeeping and MetricsLog. */
class SmallPartsTest {

    @TempDir
    Path dir;

    @Test
    void devicesResolve() {
        assertThat(Devices.resolve("cpu")).isEqualTo(Device.cpu());
        Device auto = Devices.resolve("auto");
        assertThat(auto).isEqualTo(Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu());
        assertThatThrownBy(() -> Devices.resolve("gpu:64")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("gpu:64");
        assertThatThrownBy(() -> Devices.resolve("tpu")).hasMessageContaining("tpu");
    }

    @Test
    void dataOrderIsAPermutationFixedBySeedAndEpoch() {
        int[] p = DataOrder.permutation(1, 0, 50);
        assertThat(Arrays.stream(p).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 50).toArray());
        assertThat(DataOrder.permutation(1, 0, 50)).isEqualTo(p);
        assertThat(DataOrder.permutation(1, 1, 50)).isNotEqualTo(p);
        assertThat(DataOrder.permutation(2, 0, 50)).isNotEqualTo(p);
    }

    private Path fakeCheckpoint(Path ckpts, long step) throws IOException {
        Path d = Files.createDirectories(ckpts.resolve("step-" + step));
        Files.writeString(d.resolve(Checkpoint.STATE), "{}");
        Files.writeString(d.resolve(Checkpoint.WEIGHTS), "");
        CheckpointManifest.write(d);
        return d;
    }

    @Test
    void checkpointListingLatestPruneAndResolve() throws IOException {
        Path ckpts = Checkpoint.dir(dir);
        for (long s : new long[] {5, 10, 15, 20, 100}) {
            fakeCheckpoint(ckpts, s);
        }
        Files.createDirectories(ckpts.resolve("step-200")); // incomplete: no state.json
        Files.createDirectories(ckpts.resolve(".tmp-step-300-1"));
        assertThat(Checkpoint.latest(ckpts)).contains(ckpts.resolve("step-100"));
        assertThat(Checkpoint.resolve("latest", dir)).isEqualTo(ckpts.resolve("step-100"));
        assertThat(Checkpoint.resolve(ckpts.resolve("step-5").toString(), dir)).isEqualTo(ckpts.resolve("step-5"));
        assertThatThrownBy(() -> Checkpoint.resolve(ckpts.resolve("step-200").toString(), dir))
                .isInstanceOf(UserInputException.class).hasMessageContaining("step-200");

        Checkpoint.prune(ckpts, 2, 10);
        assertThat(Checkpoint.list(ckpts).stream().map(p -> p.getFileName().toString()))
                .containsExactly("step-10", "step-100");
        Checkpoint.cleanTemporaries(ckpts);
        assertThat(ckpts.resolve(".tmp-step-300-1")).doesNotExist();
    }

    @Test
    void metricsLogAppendsAndTruncatesRepeatedSteps() throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        try (MetricsLog log = new MetricsLog(f)) {
            log.append(Map.of("step", 5, "loss", 1.0));
            log.append(Map.of("step", 10, "loss", Double.NaN));
            log.append(Map.of("step", 15, "loss", 0.5));
            log.sync();
        }
        Files.writeString(f, "{\"step\": 20, \"lo", java.nio.file.StandardOpenOption.APPEND); // torn line
        assertThat(Files.readAllLines(f)).hasSize(4);
        assertThat(Files.readAllLines(f).get(1)).contains("\"NaN\"");
        MetricsLog.truncateAfter(f, 10);
        assertThat(Files.readAllLines(f)).hasSize(2).allMatch(l -> !l.contains("\"step\":15"));
    }
}
