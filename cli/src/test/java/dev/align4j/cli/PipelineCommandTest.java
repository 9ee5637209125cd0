package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void everyProblemAtOnceExitTwoNothingWritten() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: p\nstages:\n  - name: a\n    kind: synth\n    config: {n: lots, sed: 1}\n"
                + "  - name: b\n    kind: nope\n");
        Path outDir = dir.resolve("out");
        assertThat(run("pipeline", "run", file.toString(), "--output-dir", outDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(file + ":5: a.sed: unknown key for a synth stage (did you mean seed?)")
                .contains(file + ":7: stages.1.kind: unknown kind 'nope'");
        assertThat(outDir).doesNotExist();
    }

    @Test
    void runsStatusAndSkipsWhatIsDone() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: p\nstages:\n  - name: a\n    kind: synth\n    config: {n: 20, train_prompts: 2, eval_prompts: 2}\n");
        Path outDir = dir.resolve("out");
        assertThat(run("pipeline", "validate", file.toString())).isEqualTo(0);
        assertThat(run("pipeline", "status", file.toString(), "--output-dir", outDir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("pending");
        assertThat(run("pipeline", "run", file.toString(), "--output-dir", outDir.toString())).isEqualTo(0);
        assertThat(outDir.resolve("a/sft.jsonl")).exists();
        assertThat(outDir.resolve("pipeline.lock.json")).exists();
        assertThat(out.toString()).contains("[1/1] a (synth): running");
        assertThat(run("pipeline", "run", file.toString(), "--output-dir", outDir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("[1/1] a (synth): up to date, skipped");
        assertThat(run("pipeline", "status", file.toString(), "--output-dir", outDir.toString(), "--set", "a.n=30"))
                .isEqualTo(0);
        assertThat(out.toString()).contains("stale");
    }

    @Test
    void waitingForHumanLabelsIsExitThreeWithTheCommandToRun() throws Exception {
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, "{\"id\": \"p0\", \"prompt\": \"hi\", \"responses\": [\"hello\", \"go away\"]}\n");
        Path labels = dir.resolve("labels.jsonl");
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: p\nstages:\n  - name: people\n    kind: annotate\n    config: {pairs: " + pairs
                + ", labels: " + labels + "}\n");
        Path outDir = dir.resolve("out");
        assertThat(run("pipeline", "run", file.toString(), "--output-dir", outDir.toString())).isEqualTo(3);
        assertThat(out.toString()).contains("[1/1] people (annotate): waiting for human labels: 0 of 1 pairs labelled")
                .contains("./align4j annotate --in " + pairs + " --out " + labels + " --annotator NAME")
                .contains("run the same command again");
        assertThat(err.toString()).isEmpty();
        assertThat(run("pipeline", "status", file.toString(), "--output-dir", outDir.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("waiting for human input (0 of 1 pairs labelled or skipped, 1 needed)");

        Files.writeString(labels, "{\"type\":\"label\",\"pair_id\":\"p0\",\"annotator\":\"me\",\"kind\":\"human\","
                + "\"choice\":\"a\",\"time\":\"2026-12-02T00:00:00Z\",\"prompt\":\"hi\",\"a\":\"hello\",\"b\":\"go away\"}\n");
        assertThat(run("pipeline", "run", file.toString(), "--output-dir", outDir.toString())).isEqualTo(0);
        assertThat(Files.readString(outDir.resolve("people/data.jsonl")))
                .contains("\"chosen\":\"hello\"", "\"rejected\":\"go away\"");
    }
}
