package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelLogTest {

    @TempDir
    Path tmp;

    private static LabelEntry label(String id, Choice c) {
        return LabelEntry.human(Pair.of(List.of(dev.align4j.datasets.format.Message.user("q")), "x" + id, "y"),
                "ann", c, Response.A, 1, null, "2026-01-01T00:00:00Z", 5);
    }

    private Path twoLabels() {
        Path f = tmp.resolve("labels.jsonl");
        LabelLog.Contents c = LabelLog.read(f);
        try (LabelLog.Writer w = LabelLog.openForAppend(f, c)) {
            w.append(label("1", Choice.A));
            w.append(label("2", Choice.B));
        }
        return f;
    }

    @Test
    void aTornLastLineIsIgnoredAndCutOffBeforeTheNextAppend() throws IOException {
        Path f = twoLabels();
        long good = Files.size(f);
        String full = Files.readAllLines(f).get(0);
        Files.writeString(f, full.substring(0, full.length() / 2), StandardOpenOption.APPEND);
        LabelLog.Contents c = LabelLog.read(f);
        assertThat(c.entries()).hasSize(2);
        assertThat(c.torn()).isTrue();
        assertThat(c.validBytes()).isEqualTo(good);
        try (LabelLog.Writer w = LabelLog.openForAppend(f, c)) {
            w.append(label("3", Choice.TIE));
        }
        LabelLog.Contents after = LabelLog.read(f);
        assertThat(after.torn()).isFalse();
        assertThat(after.entries()).extracting(LabelEntry::choice).containsExactly(Choice.A, Choice.B, Choice.TIE);
        assertThat(Files.readAllLines(f)).hasSize(3);
    }

    @Test
    void aCompleteButGarbledLastLineIsTornToo() throws IOException {
        Path f = twoLabels();
        Files.writeString(f, "\0\0\0\0\n", StandardOpenOption.APPEND); // zeros, as after a crash on some file systems
        assertThat(LabelLog.read(f).entries()).hasSize(2);
        assertThat(LabelLog.read(f).torn()).isTrue();
    }

    @Test
    void aBadLineBeforeTheLastIsAnErrorWithItsLine() throws IOException {
        Path f = twoLabels();
        List<String> lines = Files.readAllLines(f);
        Files.write(f, List.of(lines.get(0), "{\"type\": \"label\"}", lines.get(1)));
        assertThatThrownBy(() -> LabelLog.read(f)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(f + ":2: not a label entry");
    }

    @Test
    void aMissingFileHasNoEntries() {
        assertThat(LabelLog.read(tmp.resolve("none.jsonl")).entries()).isEmpty();
    }
}
