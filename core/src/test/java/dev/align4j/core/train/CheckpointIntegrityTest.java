package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Safetensors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Manifests: damaged checkpoints are skipped for the previous one; a full disk keeps the previous one. */
class CheckpointIntegrityTest {

    @TempDir
    Path out;
    private NDManager manager;
    private Path ckpts;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ckpts = Checkpoint.dir(out);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Path save(long step) {
        Map<String, NDArray> w = new LinkedHashMap<>();
        w.put("w", manager.arange(0f, 64f).mul(manager.create((float) step))); // values tell steps apart
        Map<String, NDArray> opt = new LinkedHashMap<>();
        opt.put("step", manager.create(new long[] {step}));
        return Checkpoint.save(ckpts, TrainState.builder().step(step).build(), w, opt,
                tmp -> AtomicFiles.writeString(tmp.resolve("sub/extra.txt"), "extra " + step));
    }

    private float weightAt(Path dir, int i) {
        return Safetensors.load(dir.resolve(Checkpoint.WEIGHTS), manager).get("w").toFloatArray()[i];
    }

    @Test
    void manifestListsEveryFileWithSizeAndHash() throws IOException {
        Path d = save(3);
        assertThat(CheckpointManifest.problem(d)).isNull();
        String manifest = Files.readString(d.resolve(CheckpointManifest.FILE));
        assertThat(manifest).contains(Checkpoint.WEIGHTS, Checkpoint.OPTIMIZER, Checkpoint.STATE, "sub/extra.txt")
                .contains(CheckpointManifest.sha256(d.resolve(Checkpoint.WEIGHTS)))
                .contains("\"size\" : " + Files.size(d.resolve(Checkpoint.WEIGHTS)));
    }

    @Test
    void resumeSkipsACorruptNewestCheckpointForThePreviousOne() throws IOException {
        save(1);
        Path two = save(2);
        Path three = save(3);
        assertThat(Checkpoint.resolve("latest", out)).isEqualTo(three);

        flipLastByte(three.resolve(Checkpoint.WEIGHTS)); // same size, different content
        assertThat(CheckpointManifest.problem(three)).contains(Checkpoint.WEIGHTS).contains("SHA-256");
        assertThat(Checkpoint.resolve("latest", out)).isEqualTo(two);
        assertThat(weightAt(two, 5)).isEqualTo(10f);

        truncate(two.resolve(Checkpoint.OPTIMIZER));
        assertThat(CheckpointManifest.problem(two)).contains(Checkpoint.OPTIMIZER).contains("bytes");
        Files.delete(ckpts.resolve("step-1").resolve("sub/extra.txt"));
        assertThat(CheckpointManifest.problem(ckpts.resolve("step-1"))).contains("sub/extra.txt is missing");
        assertThatThrownBy(() -> Checkpoint.resolve("latest", out))
                .isInstanceOf(UserInputException.class).hasMessageContaining("no complete checkpoint")
                .hasMessageContaining("step-3: " + Checkpoint.WEIGHTS).hasMessageContaining("step-1: sub/extra.txt");
        // named explicitly, a checkpoint that fails its manifest is refused too
        assertThatThrownBy(() -> Checkpoint.resolve(three.toString(), out))
                .isInstanceOf(UserInputException.class).hasMessageContaining(Checkpoint.WEIGHTS);
    }

    @Test
    void checkpointWithoutManifestIsSkippedByLatestButUsableByName() throws IOException {
        Path one = save(1);
        Path two = save(2);
        Files.delete(two.resolve(CheckpointManifest.FILE));
        assertThat(Checkpoint.latest(ckpts)).contains(one);
        assertThat(Checkpoint.resolve(two.toString(), out)).isEqualTo(two);
    }

    @Test
    void diskFullWhileSavingKeepsThePreviousCheckpointAndLeavesNothingHalfWritten() throws IOException {
        Path one = save(1);
        long weightsBytes = Files.size(one.resolve(Checkpoint.WEIGHTS));
        for (long budget : new long[] {0, weightsBytes / 2, weightsBytes + 40}) {
            try (AtomicFiles.DiskFull full = AtomicFiles.simulateDiskFull(budget)) {
                assertThatThrownBy(() -> save(2))
                        .isInstanceOf(UserInputException.class)
                        .hasMessageContaining("cannot save checkpoint").hasMessageContaining("step-2")
                        .hasMessageContaining("No space left on device")
                        .hasMessageContaining("earlier checkpoint " + one + " is intact");
            }
            try (Stream<Path> s = Files.list(ckpts)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("step-1");
            }
            assertThat(Checkpoint.resolve("latest", out)).isEqualTo(one);
            assertThat(weightAt(one, 5)).isEqualTo(5f);
        }
        // a crash mid-save leaves a temporary folder (and maybe a manifest-less step folder): never picked
        Path tmp = Files.createDirectories(ckpts.resolve(".tmp-step-9-1"));
        Files.copy(one.resolve(Checkpoint.STATE), tmp.resolve(Checkpoint.STATE));
        Path half = Files.createDirectories(ckpts.resolve("step-8"));
        Files.copy(one.resolve(Checkpoint.STATE), half.resolve(Checkpoint.STATE));
        assertThat(Checkpoint.resolve("latest", out)).isEqualTo(one);
        assertThat(save(2)).isEqualTo(ckpts.resolve("step-2")); // and the disk, freed, takes the next one
    }

    private static void flipLastByte(Path f) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 0x01);
        }
    }

    private static void truncate(Path f) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 3);
        }
    }
}
