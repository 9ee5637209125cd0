package dev.align4j.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.annotate.LabelLog;
import dev.align4j.annotate.LabelSet;
import dev.align4j.annotate.LineConsole;
import dev.align4j.annotate.PairFile;
import dev.align4j.annotate.Session;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.pipelines.stage.HumanInput;
import dev.align4j.pipelines.stage.StageOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two annotate kinds: {@code annotate-judge} labels pairs with the sentiment judge and a reward
 * stage trains on its export; {@code annotate} stops the pipeline until a (scripted) person has
 * labelled the pairs, then exports them, and reruns when the labels change.
 */
class AnnotateStagesTest {

    @TempDir
    Path dir;

    /** 10 sentiment pairs: 4 won by A, 4 by B (by the lexicon), 2 ties. */
    private Path pairs() throws IOException {
        String[][] rs = {{"a good movie", "a bad movie"}, {"the plot was dull", "the plot was great"},
            {"wonderful acting", "awful acting"}, {"a boring story", "a charming story"},
            {"excellent script", "terrible script"}, {"tedious film", "delightful film"},
            {"great and good", "bad"}, {"the movie", "the film"}, {"dull dull", "good"}, {"a plot", "the plot"}};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rs.length; i++) {
            sb.append(Json.line(Map.of("id", "q" + i, "prompt", "review " + i, "responses", List.of(rs[i])))).append('\n');
        }
        return Files.writeString(dir.resolve("pairs.jsonl"), sb.toString());
    }

    /** What the listener saw: "skip NAME", "start NAME", "wait NAME". */
    private static final class Events implements PipelineListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void skipped(PlannedStage s, int of) {
            seen.add("skip " + s.name());
        }

        @Override
        public void started(PlannedStage s, int of, boolean resume, String why) {
            seen.add("start " + s.name());
        }

        @Override
        public void finished(PlannedStage s, int of, StageOutcome o, double seconds) {
        }

        @Override
        public void waiting(PlannedStage s, int of, HumanInput input) {
            seen.add("wait " + s.name());
        }
    }

    @Test
    void judgeLabelsAndExportsPairsARewardStageTrainsOn() throws IOException {
        Path model = dir.resolve("tiny-model.yaml");
        Files.writeString(model, TestPipelines.resource("tiny-model.yaml"));
        Path file = Files.writeString(dir.resolve("p.yaml"), String.join("\n",
                "name: judged",
                "defaults: {seed: 7, template: plain, per_device_train_batch_size: 2, save_steps: 2}",
                "stages:",
                "  - {name: synth, kind: synth, config: {n: 100, train_prompts: 4, eval_prompts: 4}}",
                "  - name: sft",
                "    kind: sft",
                "    config: {model_config: " + model + ", tokenizer: byte, data: [\"${synth.sft}\"], cutoff_len: 32,"
                        + " max_steps: 1, num_samples: 0}",
                "  - name: judge",
                "    kind: annotate-judge",
                "    config: {judge: sentiment, in: " + pairs() + "}",
                "  - name: reward",
                "    kind: reward",
                "    config: {model: \"${sft.model}\", data: \"${judge.data}\", format: preference, max_length: 32,"
                        + " max_prompt_length: 16, val_set_size: 2, max_steps: 2}",
                ""));
        Path out = dir.resolve("out");
        Pipeline p = PipelineLoader.load(file, out, Map.of());
        assertThat(p.stage("judge").orElseThrow().kind()).isEqualTo(StageKind.ANNOTATE_JUDGE);
        PipelineRunner.Result r = PipelineRunner.run(p, null, PipelineListener.NONE);
        assertThat(r.interrupted()).isFalse();
        assertThat(r.waitingForInput()).isFalse();

        LabelSet labels = LabelSet.of(LabelLog.read(out.resolve("judge/labels.jsonl")).entries());
        assertThat(labels.annotators()).containsExactly("sentiment");
        assertThat(labels.labels("sentiment")).extracting(e -> e.choice().name())
                .containsExactly("A", "B", "A", "B", "A", "B", "A", "TIE", "B", "TIE");
        LoadedDataset data = DatasetLoader.load(out.resolve("judge/data.jsonl"));
        assertThat(data.format()).isEqualTo(DataFormat.PREFERENCE);
        assertThat(data.examples()).hasSize(8).allSatisfy(ex -> assertThat(ex).isInstanceOf(PreferenceExample.class));
        PreferenceExample first = (PreferenceExample) data.examples().get(0);
        assertThat(first.chosen()).isEqualTo("a good movie");
        assertThat(first.rejected()).isEqualTo("a bad movie");
        assertThat(r.stages().get(2).summary()).contains("sentiment: 10 pairs: 4 A, 4 B, 2 ties", "8 preference records");
        assertThat(out.resolve("reward/model")).isDirectory();
    }

    @Test
    void humanStageStopsUntilTheLabelsAreThereThenExportsAndRerunsWhenTheyChange() throws IOException {
        Path labels = dir.resolve("labels.jsonl");
        Path file = Files.writeString(dir.resolve("p.yaml"), String.join("\n",
                "name: human",
                "stages:",
                "  - {name: judge, kind: annotate-judge, config: {judge: \"rule:longer\", in: " + pairs() + "}}",
                "  - name: people",
                "    kind: annotate",
                "    config: {pairs: \"${judge.data}\", labels: " + labels + "}",
                ""));
        Path out = dir.resolve("out");
        Path pairsIn = out.resolve("judge/data.jsonl");

        Events first = new Events();
        PipelineRunner.Result r = PipelineRunner.run(PipelineLoader.load(file, out, Map.of()), null, first);
        assertThat(first.seen).containsExactly("start judge", "wait people");
        assertThat(r.waitingForInput()).isTrue();
        assertThat(r.waiting().stage()).isEqualTo("people");
        int n = PairFile.read(pairsIn).size();
        assertThat(r.waiting().input().progress()).isEqualTo("0 of " + n + " pairs labelled or skipped, " + n + " needed");
        assertThat(r.waiting().input().commands())
                .containsExactly("./align4j annotate --in " + pairsIn + " --out " + labels + " --annotator NAME");
        assertThat(out.resolve("people")).doesNotExist();
        assertThat(PipelineLock.read(out.resolve(Pipeline.LOCK_FILE), "x").stages())
                .extracting(PipelineLock.Entry::name).containsExactly("judge");

        label(pairsIn, labels, "1\n2\nq\n"); // two of n: still waiting, judge stays done
        Events second = new Events();
        r = PipelineRunner.run(PipelineLoader.load(file, out, Map.of()), null, second);
        assertThat(second.seen).containsExactly("skip judge", "wait people");
        assertThat(r.waiting().input().progress()).startsWith("2 of " + n);
        assertThat(PipelineStatus.of(PipelineLoader.load(file, out, Map.of()))).extracting(PipelineStatus.Line::state)
                .containsExactly(PipelineStatus.State.DONE, PipelineStatus.State.WAITING);

        label(pairsIn, labels, "t\ns\n" + "1\n".repeat(n - 4)); // a tie, a skip, the rest left
        Events third = new Events();
        r = PipelineRunner.run(PipelineLoader.load(file, out, Map.of()), null, third);
        assertThat(third.seen).containsExactly("skip judge", "start people");
        assertThat(r.waitingForInput()).isFalse();
        assertThat(Files.readAllBytes(out.resolve("people/labels.jsonl"))).isEqualTo(Files.readAllBytes(labels));
        LoadedDataset data = DatasetLoader.load(out.resolve("people/data.jsonl"));
        assertThat(data.format()).isEqualTo(DataFormat.PREFERENCE);
        assertThat(data.examples()).hasSize(n - 2); // the tie and the skip are not training data

        Events fourth = new Events();
        PipelineRunner.run(PipelineLoader.load(file, out, Map.of()), null, fourth);
        assertThat(fourth.seen).containsExactly("skip judge", "skip people");

        byte[] before = Files.readAllBytes(out.resolve("people/data.jsonl"));
        label(pairsIn, labels, "other", "2\n2\n"); // a second person: more labels, the stage runs again
        Events fifth = new Events();
        PipelineRunner.run(PipelineLoader.load(file, out, Map.of()), null, fifth);
        assertThat(fifth.seen).containsExactly("skip judge", "start people");
        assertThat(Files.readAllBytes(out.resolve("people/data.jsonl"))).isNotEqualTo(before);
    }

    @Test
    void namedAnnotatorsEachNeedTheirLabels() throws IOException {
        Path labels = dir.resolve("my labels.jsonl");
        Path pairsFile = pairs();
        Path file = Files.writeString(dir.resolve("p.yaml"), String.join("\n",
                "name: two",
                "stages:",
                "  - name: people",
                "    kind: annotate",
                "    config: {pairs: " + pairsFile + ", labels: \"" + labels + "\", min_labels: 3,"
                        + " annotators: [alice, bob]}",
                ""));
        Path out = dir.resolve("out");
        label(pairsFile, labels, "alice", "1\n2\n1\nq\n");
        PipelineRunner.Result r = PipelineRunner.run(PipelineLoader.load(file, out, Map.of()), null,
                PipelineListener.NONE);
        assertThat(r.waiting().input().progress()).isEqualTo("alice 3, bob 0 of 10 pairs labelled or skipped, 3 "
                + "needed from each");
        assertThat(r.waiting().input().commands()).containsExactly("./align4j annotate --in " + pairsFile + " --out '"
                + labels + "' --annotator bob");
        label(pairsFile, labels, "bob", "1\n1\n1\nq\n");
        r = PipelineRunner.run(PipelineLoader.load(file, out, Map.of()), null, PipelineListener.NONE);
        assertThat(r.waitingForInput()).isFalse();
        // q0..q2 labelled by both with the same seed, so the same key is the same response: they agree on
        // q0 and q2 (both pressed 1) and split on q1, which is dropped
        assertThat(Files.readAllLines(out.resolve("people/data.jsonl"))).hasSize(2)
                .allSatisfy(l -> assertThat(l).doesNotContain("\"q1\""));
    }

    @Test
    void validationNamesTheLineOfEveryBadKey() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), String.join("\n",
                "name: bad",                                  // 1
                "stages:",                                    // 2
                "  - name: judge",                            // 3
                "    kind: annotate-judge",                   // 4
                "    config:",                                // 5
                "      judge: \"rule:loud\"",                 // 6
                "      in: " + pairs(),                       // 7
                "      margn: 1",                             // 8
                "  - name: judge2",                           // 9
                "    kind: annotate-judge",                   // 10
                "    config:",                                // 11
                "      judge: sentiment",                     // 12
                "      in: " + dir.resolve("pairs.jsonl"),    // 13
                "      margin: -1",                           // 14
                "  - name: people",                           // 15
                "    kind: annotate",                         // 16
                "    config:",                                // 17
                "      pairs: ${judge.data}",                 // 18
                "      labels: " + dir,                       // 19
                "      min_labels: 0",                        // 20
                "  - name: people2",                          // 21
                "    kind: annotate",                         // 22
                "    config: {pairs: nowhere.jsonl, labels: l.jsonl, annotator: me}", // 23
                ""));
        assertThatThrownBy(() -> PipelineLoader.load(file, dir.resolve("out"), Map.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(file + ":8: judge.margn: unknown key for an annotate-judge stage (did you mean margin?)")
                .hasMessageContaining(file + ":14: judge2.margin: margin must be a finite number >= 0, got -1.0")
                .hasMessageContaining(file + ":19: people.labels: " + dir + " is a folder")
                .hasMessageContaining(file + ":20: people.min_labels: must be at least 1, got 0")
                .hasMessageContaining(file + ":23: people2.annotator: unknown key for an annotate stage (did you mean "
                        + "annotators?)")
                .hasMessageContaining(file + ":23: people2.pairs: nowhere.jsonl: no such file or folder");
        Path judgeOnly = Files.writeString(dir.resolve("judge.yaml"),
                "name: j\nstages:\n  - name: judge\n    kind: annotate-judge\n    config: {judge: \"rule:loud\", in: "
                        + dir.resolve("pairs.jsonl") + "}\n");
        assertThatThrownBy(() -> PipelineLoader.load(judgeOnly, null, Map.of()))
                .hasMessageContaining(judgeOnly + ":5: judge.judge: rule:loud: unknown judge; expected reward-model:DIR");
    }

    private static void label(Path pairs, Path labels, String keys) {
        label(pairs, labels, "me", keys);
    }

    /** A scripted session, as {@code align4j annotate} runs without a terminal. */
    private static void label(Path pairs, Path labels, String annotator, String keys) {
        LabelLog.Contents c = LabelLog.read(labels);
        try (LabelLog.Writer w = LabelLog.openForAppend(labels, c);
             LineConsole console = new LineConsole(new BufferedReader(new StringReader(keys)),
                     new PrintWriter(new StringWriter()), 100)) {
            new Session(PairFile.read(pairs), LabelSet.of(c.entries()), w, console, new Session.Options(annotator, 0),
                    Clock.systemUTC()).run();
        }
    }
}
