package dev.align4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeCreatesParentsReplacesAndLeavesNoTempFiles() throws IOException {
        Path f = dir.resolve("a/b/state.json");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertThat(Files.readString(f)).isEqualTo("two");
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void replaceDirSwapsWholeFolder() throws IOException {
        Path fin = dir.resolve("step-3");
        Files.createDirectories(fin);
        Files.writeString(fin.resolve("old.txt"), "old");
        Path tmp = dir.resolve(".tmp-step-3");
        Files.createDirectories(tmp.resolve("sub"));
        Files.writeString(tmp.resolve("sub/new.txt"), "new");

        AtomicFiles.replaceDir(tmp, fin);

        assertThat(tmp).doesNotExist();
        assertThat(fin.resolve("old.txt")).doesNotExist();
        assertThat(Files.readString(fin.resolve("sub/new.txt"))).isEqualTo("new");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("step-3");
        }
    }

    @Test
    void commitRenamesAStreamedTempFileOverTheTarget() throws IOException {
        Path target = dir.resolve("out.jsonl");
        Files.writeString(target, "old\n");
        Path tmp = dir.resolve(".out.jsonl.tmp-1");
        Files.writeString(tmp, "line 1\nline 2\n");
        AtomicFiles.commit(tmp, target);
        assertThat(Files.readString(target)).isEqualTo("line 1\nline 2\n");
        assertThat(tmp).doesNotExist();
    }

    @Test
    void committedFilesGetTheSamePermissionsAsAnyNewFile() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x"); // 0666 less the umask
        Path atomic = dir.resolve("config.json");
        AtomicFiles.writeString(atomic, "{}");
        Path streamed = dir.resolve("model.safetensors");
        Path tmp = AtomicFiles.tempSibling(streamed);
        try (java.io.OutputStream o = AtomicFiles.newOutputStream(tmp)) {
            o.write(1);
        }
        AtomicFiles.commit(tmp, streamed);
        var want = Files.getPosixFilePermissions(plain);
        assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(want);
        assertThat(Files.getPosixFilePermissions(streamed)).isEqualTo(want);
        // under the usual umask 022 that is 0644, where a createTempFile temp file would give 0600
    }

    @Test
    void simulatedFullDiskFailsWritesAfterTheBudgetAndLeavesTheOldFile() throws IOException {
        Path f = dir.resolve("state.json");
        AtomicFiles.writeString(f, "old");
        try (AtomicFiles.DiskFull full = AtomicFiles.simulateDiskFull(2)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.writeString(f, "new!"))
                    .hasMessageContaining("No space left on device");
        }
        assertThat(Files.readString(f)).isEqualTo("old");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
        AtomicFiles.writeString(f, "new!"); // lifted
        assertThat(Files.readString(f)).isEqualTo("new!");
    }
}
