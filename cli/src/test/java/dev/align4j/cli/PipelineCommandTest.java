package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PipelineCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
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
}
