package dev.align4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
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
    void committedFilesAreReadableByAllOnPosix() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Set<PosixFilePermission> shared = PosixFilePermissions.fromString("rw-r--r--");
        Path written = dir.resolve("config.json");
        AtomicFiles.writeString(written, "{}");
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(shared);

        Path tmp = dir.resolve("weights.tmp");
        Files.writeString(tmp, "data");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Path committed = dir.resolve("weights.bin");
        AtomicFiles.commit(tmp, committed);
        assertThat(Files.getPosixFilePermissions(committed)).isEqualTo(shared);
    }
}
