package dev.align4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class HashingTest {

    @TempDir
    Path dir;

    @Test
    void stringHashMatchesKnownVector() {
        // FIPS 180-2 test vector for "abc"
        assertThat(Hashing.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void fileHashesDependOnContentAndFraming() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "ab");
        Path b = Files.writeString(dir.resolve("b"), "c");
        Path c = Files.writeString(dir.resolve("c"), "a");
        Path d = Files.writeString(dir.resolve("d"), "bc");
        Path a2 = Files.writeString(dir.resolve("a2"), "ab");
        assertThat(Hashing.sha256(a, b)).isNotEqualTo(Hashing.sha256(c, d));
        assertThat(Hashing.sha256(a)).isEqualTo(Hashing.sha256(a2)).hasSize(64);
        assertThat(Hashing.sha256(a, b)).isNotEqualTo(Hashing.sha256(b, a));
    }

    @Test
    void folderHashSeesRenames() throws IOException {
        Path f = Files.createDirectories(dir.resolve("data"));
        Files.writeString(f.resolve("x.jsonl"), "{}\n");
        String before = Hashing.sha256(f);
        Files.move(f.resolve("x.jsonl"), f.resolve("y.jsonl"));
        assertThat(Hashing.sha256(f)).isNotEqualTo(before);
    }
}
