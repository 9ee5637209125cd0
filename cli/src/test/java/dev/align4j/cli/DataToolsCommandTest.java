package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code align4j tokenizer train} on text that cannot teach a merge, and {@code align4j data validate}
 * listing every bad record: exit 2 naming the file (and line), nothing written.
 */
class DataToolsCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void tokenizerTrainRefusesAnEmptyFileAndTextWithoutMergesWritingNothing() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path tok = dir.resolve("tok");
        assertThat(run("tokenizer", "train", "--vocab-size", "300", "--input", empty.toString(),
                "--out", tok.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(empty + ": empty file").doesNotContain("Exception");
        assertThat(tok).doesNotExist();

        Path once = Files.writeString(dir.resolve("once.txt"), "abcdefg\n");
        assertThat(run("tokenizer", "train", "--vocab-size", "300", "--input", once.toString(),
                "--out", tok.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(once + ": the text yields no merges");
        assertThat(tok).doesNotExist();

        assertThat(run("tokenizer", "train", "--vocab-size", "300", "--min-frequency", "1", "--input",
                once.toString(), "--out", tok.toString())).as(err.toString()).isEqualTo(0);
        assertThat(tok.resolve("tokenizer.json")).exists();
    }

    @Test
    void tokenizerTrainRefusesAnOutputThatIsAFileBeforeReading() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "the movie was great the movie was great\n");
        Path file = Files.writeString(dir.resolve("out"), "x");
        assertThat(run("tokenizer", "train", "--vocab-size", "300", "--input", text.toString(),
                "--out", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out: " + file + " exists and is not a folder");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void dataValidateListsEveryBadRecordCappedWithTheCount() throws Exception {
        List<String> lines = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        for (int line = 1; line <= 150; line++) {
            boolean broken = line % 2 == 0 || line > 100;
            if (broken) {
                bad.add(line);
            }
            lines.add(broken ? "{\"prompt\": \"p\"}" : "{\"prompt\": \"p\", \"completion\": \" c\"}");
        }
        Path file = Files.write(dir.resolve("d.jsonl"), lines);
        assertThat(run("data", "validate", file.toString())).isEqualTo(2);
        List<String> printed = err.toString().lines().toList();
        assertThat(printed.subList(0, 50)).allSatisfy(l -> assertThat(l).contains(": completion: "));
        for (int i = 0; i < 50; i++) {
            assertThat(printed.get(i)).startsWith(file + ":" + bad.get(i) + ": completion: ");
        }
        int more = bad.size() - 50;
        assertThat(printed.get(50)).isEqualTo("... and " + more + " more");
        assertThat(printed.get(51)).isEqualTo(file + ": " + bad.size() + " invalid of 150 records, format completion");

        err.getBuffer().setLength(0);
        assertThat(run("data", "validate", "--show", "3", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).hasSize(5).element(3)
                .isEqualTo("... and " + (bad.size() - 3) + " more");

        Path good = Files.write(dir.resolve("good.jsonl"), List.of("{\"prompt\": \"p\", \"completion\": \" c\"}"));
        assertThat(run("data", "validate", good.toString())).isEqualTo(0);
        assertThat(out.toString()).contains(good + ": ok, 1 records, format completion");
    }
}
