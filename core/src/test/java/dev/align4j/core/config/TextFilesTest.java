package dev.align4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict UTF-8 with the line of the bad byte, and YAML parse errors at the line SnakeYAML names. */
class TextFilesTest {

    @TempDir
    Path dir;

    @Test
    void invalidUtf8IsReportedAtItsLineAndColumn() throws IOException {
        Path f = dir.resolve("a.yaml");
        Files.write(f, "one: 1\ntwo: 2\nthree: a\u00e9b\n".getBytes(StandardCharsets.ISO_8859_1));
        // line 3, "three: a" is 8 bytes, so the bad byte is column 9
        assertThatThrownBy(() -> TextFiles.readUtf8(f, "config file")).isInstanceOf(UserInputException.class)
                .hasMessage(f + ":3: not UTF-8 text (byte 0xe9 at column 9)");
        assertThat(TextFiles.decode(f, "\uFEFFok: 1\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("ok: 1\n");
    }

    @Test
    void aFolderAndAMissingFileAreNamedAsSuch() {
        assertThatThrownBy(() -> TextFiles.readUtf8(dir, "config file")).hasMessage(dir + ": is a folder, not a config file");
        Path none = dir.resolve("none.yaml");
        assertThatThrownBy(() -> TextFiles.readUtf8(none, "config file")).hasMessage(none + ": no such config file");
    }

    @Test
    void aTabIsReportedOnItsOwnLineWithoutTheExcerpt() throws IOException {
        Path f = dir.resolve("tab.yaml");
        Files.writeString(f, "a: 1\nmap:\n\tb: 2\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.class))
                .hasMessageStartingWith(f + ":3: cannot parse: ")
                .hasMessageContaining("tab")
                .hasMessageNotContaining("reader");
    }
}
