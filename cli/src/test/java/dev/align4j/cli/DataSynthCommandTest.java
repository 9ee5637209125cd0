package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code align4j data synth arithmetic}: writes the folder, refuses bad options and a used folder (exit 2). */
class DataSynthCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void writesTheArithmeticTaskAndRefusesToOverwriteIt() throws Exception {
        Path data = dir.resolve("arith");
        assertThat(run("data", "synth", "arithmetic", "--out", data.toString(), "--n", "50", "--train-prompts", "8",
                "--eval-prompts", "4", "--seed", "3", "--max-digits", "1")).isEqualTo(0);
        assertThat(out.toString()).contains("50 SFT examples, 8 train prompts, 4 eval prompts (of 155 distinct problems)");
        assertThat(Files.readAllLines(data.resolve("prompts_eval.jsonl"))).hasSize(4)
                .allMatch(l -> l.matches("\\{\"answer\":\"\\d+\",\"prompt\":\"\\d[+-]\\d=\"}"));
        assertThat(Files.readAllLines(data.resolve("sft.jsonl"))).hasSize(50);
        String before = Files.readString(data.resolve("sft.jsonl"));
        assertThat(run("data", "synth", "arithmetic", "--out", data.toString(), "--n", "20")).isEqualTo(2);
        assertThat(err.toString()).contains("already holds");
        assertThat(Files.readString(data.resolve("sft.jsonl"))).isEqualTo(before);
    }

    @Test
    void tooManyExamplesForTheProblemSpaceIsExitTwoNothingWritten() {
        Path data = dir.resolve("small");
        assertThat(run("data", "synth", "arithmetic", "--out", data.toString(), "--n", "200", "--max-digits", "1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("distinct problems");
        assertThat(data).doesNotExist();
    }

    @Test
    void pipelineSynthsArithmeticAndEvalReportsAccuracy() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: p\nstages:\n  - name: synth\n    kind: synth\n"
                + "    config: {task: arithmetic, n: 30, train_prompts: 4, eval_prompts: 6, max_digits: 1}\n");
        Path runs = dir.resolve("runs");
        assertThat(run("pipeline", "run", file.toString(), "--output-dir", runs.toString())).as(err.toString()).isEqualTo(0);
        Path evalPrompts = runs.resolve("synth/prompts_eval.jsonl");
        assertThat(Files.readAllLines(evalPrompts)).hasSize(6).allMatch(l -> l.contains("\"answer\""));
        Path model = TinyModelDirs.save(dir.resolve("m"), TinyModelDirs.gpt2(),
                dev.align4j.datasets.template.Templates.PLAIN, 1, java.util.Map.of());
        Path out = dir.resolve("eval");
        assertThat(run("eval", "--task", "arithmetic", "--model", "tiny=" + model, "--prompts", evalPrompts.toString(),
                "--set", "max_new_tokens=3", "--out", out.toString())).as(err.toString()).isEqualTo(0);
        assertThat(this.out.toString()).contains("6 held-out arithmetic prompts").contains("| tiny | ");
        assertThat(out.resolve("eval.json")).content().contains("\"greedy\"").contains("\"sampled\"");
        assertThat(Files.readAllLines(out.resolve("samples.jsonl"))).hasSize(6);
        // a synth stage key of the other task is refused
        Files.writeString(file, "name: p\nstages:\n  - name: synth\n    kind: synth\n    config: {max_digits: 1}\n");
        assertThat(run("pipeline", "validate", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("max_digits: only for task arithmetic");
    }
}
