package dev.align4j.datasets.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetLoader#validate}: every bad record in one pass, the first N kept, all counted. */
class DatasetValidationTest {

    @TempDir
    Path dir;

    /** A completion JSONL of {@code n} lines where every third line is bad in one of three ways. */
    private static List<String> mixed(int n, List<Integer> badLines) {
        List<String> lines = new ArrayList<>();
        for (int line = 1; line <= n; line++) {
            if (line % 3 != 0) {
                lines.add("{\"prompt\": \"p" + line + "\", \"completion\": \" c\"}");
                continue;
            }
            badLines.add(line);
            lines.add(switch (line % 9) {
                case 3 -> "{\"prompt\": \"p\"}"; // completion missing
                case 6 -> "{\"prompt\": \"p\", \"completion\": 7}"; // not a string
                default -> "{\"prompt\": \"p\", "; // invalid JSON
            });
        }
        return lines;
    }

    @Test
    void listsEveryBadRecordUpToTheCapAndCountsAll() throws Exception {
        List<Integer> bad = new ArrayList<>();
        Path file = Files.write(dir.resolve("mixed.jsonl"), mixed(200, bad));
        DatasetLoader.Validation v = DatasetLoader.validate(file, LoadOptions.defaults(), 50);
        assertThat(v.invalid()).isEqualTo(bad.size()).isEqualTo(66);
        assertThat(v.valid()).isEqualTo(200 - bad.size());
        assertThat(v.complete()).isTrue();
        assertThat(v.format()).isEqualTo(DataFormat.COMPLETION);
        assertThat(v.shown()).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(v.shown().get(i)).startsWith(file + ":" + bad.get(i) + ": ");
        }
        assertThat(v.shown().get(0)).contains("completion").contains("missing");
        assertThat(v.shown().get(1)).contains("completion");
        assertThat(v.shown().get(2)).contains("invalid JSON");

        DatasetLoader.Validation all = DatasetLoader.validate(file, LoadOptions.defaults(), 1000);
        assertThat(all.shown()).hasSize(66);
    }

    @Test
    void aCleanFileHasNoProblems() throws Exception {
        Path file = Files.write(dir.resolve("ok.jsonl"), List.of(
                "{\"prompt\": \"a\", \"completion\": \" b\"}", "", "{\"prompt\": \"c\", \"completion\": \" d\"}"));
        DatasetLoader.Validation v = DatasetLoader.validate(file, LoadOptions.defaults(), 50);
        assertThat(v.invalid()).isZero();
        assertThat(v.valid()).isEqualTo(2);
        assertThat(v.shown()).isEmpty();
    }

    @Test
    void aFaultThatEndsAJsonArrayIsTheLastProblemAfterTheRecordsBeforeIt() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), """
                [
                  {"instruction": "a", "output": "b"},
                  {"instruction": "c"},
                  {"instruction": "d", "output": "e"},
                  {"instruction": "f", "output": ]
                ]
                """);
        DatasetLoader.Validation v = DatasetLoader.validate(file, LoadOptions.defaults(), 50);
        assertThat(v.complete()).isFalse();
        assertThat(v.valid()).isEqualTo(2);
        assertThat(v.invalid()).isEqualTo(2);
        assertThat(v.shown().get(0)).startsWith(file + ":3: output");
        assertThat(v.shown().get(1)).startsWith(file + ":5: ").endsWith("(reading stopped here)");
    }

    @Test
    void aFileThatCannotBeReadAtAllIsStillAnError() {
        assertThatThrownBy(() -> DatasetLoader.validate(dir.resolve("none.jsonl"), LoadOptions.defaults(), 50))
                .isInstanceOf(UserInputException.class).hasMessageContaining("none.jsonl");
    }
}
