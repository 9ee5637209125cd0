package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.io.Json;
import dev.align4j.datasets.template.Templates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotate commands end to end: a scripted session, a judge, stats, export into DPO and reward training. */
class AnnotateCommandTest {

    @TempDir
    Path tmp;

    private Path pairs;

    @BeforeEach
    void pairsFile() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            String body = " " + (char) ('a' + i % 5);
            sb.append(Json.line(Map.of("id", "q" + i, "prompt", "p" + i,
                    "responses", List.of(body + " longer answer", body + "B")))).append('\n');
        }
        pairs = Files.writeString(tmp.resolve("pairs.jsonl"), sb.toString());
    }

    private static TinyModelDirs.Result session(String keys, String... args) {
        AnnotateCommand cmd = new AnnotateCommand();
        cmd.terminal = false;
        cmd.input = new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8));
        return TinyModelDirs.run(cmd, args);
    }

    private String[] sessionArgs(Path out, String who, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("annotate", "--in", pairs.toString(), "--out",
                out.toString(), "--annotator", who));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void aScriptedSessionLabelsResumesAndRefusesAnotherSeed() {
        Path labels = tmp.resolve("labels.jsonl");
        TinyModelDirs.Result r = session("1\n2\nt\ns\nu\nn\nmy note\na\n?\nq\n", sessionArgs(labels, "eve", "--seed", "5"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("PROMPT (id q0)", "eve: 4 of 8 pairs labelled (5 labels and 1 undos this session, "
                + "seed 5)", "rerun the same command to resume");
        TinyModelDirs.Result again = session("1\n1\n1\n1\n", sessionArgs(labels, "eve"));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("PROMPT (id q4)", "eve: 8 of 8 pairs labelled", "seed 5")
                .doesNotContain("PROMPT (id q0)");
        TinyModelDirs.Result other = session("1\n", sessionArgs(labels, "eve", "--seed", "6"));
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("--seed 6: " + labels + " has labels by eve made with seed 5");
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws IOException {
        Path labels = tmp.resolve("never.jsonl");
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"prompt\": \"p\", \"responses\": [\"x\", \"\"]}\n");
        TinyModelDirs.Result r = session("1\n", "annotate", "--in", bad.toString(), "--out", labels.toString(),
                "--annotator", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(bad + ":1: responses: empty response");
        assertThat(session("1\n", "annotate", "--in", pairs.toString(), "--out", labels.toString()).err())
                .contains("annotate needs --in FILE --out FILE --annotator NAME");
        TinyModelDirs.Result j = TinyModelDirs.run(new AnnotateCommand(), "annotate", "judge", "--judge", "rule:loud",
                "--in", pairs.toString(), "--out", labels.toString());
        assertThat(j.code()).isEqualTo(2);
        assertThat(j.err()).contains("unknown judge");
        assertThat(labels).doesNotExist();
    }

    @Test
    void judgeStatsAndExportFeedDpoAndRewardTraining() throws IOException {
        Path human = tmp.resolve("human.jsonl");
        // pick the response shown on the left for every pair: agreement with the judge is then chance-like
        assertThat(session("1\n".repeat(8), sessionArgs(human, "ann")).code()).isZero();
        Path judged = tmp.resolve("judge.jsonl");
        TinyModelDirs.Result j = TinyModelDirs.run(new AnnotateCommand(), "annotate", "judge", "--judge", "rule:longer",
                "--in", pairs.toString(), "--out", judged.toString());
        assertThat(j.code()).as(j.err()).isZero();
        assertThat(j.out()).contains("rule:longer: 8 pairs: 8 A, 0 B, 0 ties (0.0%)");

        TinyModelDirs.Result s = TinyModelDirs.run(new AnnotateCommand(), "annotate", "stats", human.toString(),
                judged.toString(), "--json");
        assertThat(s.code()).as(s.err()).isZero();
        JsonNode st = Json.mapper().readTree(s.out());
        assertThat(st.get("pairs").asInt()).isEqualTo(8);
        assertThat(st.at("/annotators/0/left_picks").asInt()).isEqualTo(8);
        assertThat(st.at("/annotators/0/left_share").asDouble()).isEqualTo(1.0);
        // Bin(8, 1/2), 8 of 8: p = 2 / 256
        assertThat(st.at("/annotators/0/position_p").asDouble()).isCloseTo(2.0 / 256, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(st.at("/pairwise/0/kinds").asText()).isEqualTo("human-judge");
        assertThat(st.at("/pairwise/0/shared").asInt()).isEqualTo(8);
        TinyModelDirs.Result table = TinyModelDirs.run(new AnnotateCommand(), "annotate", "stats", human.toString(),
                judged.toString());
        assertThat(table.out()).contains("annotator", "rule:longer", "Krippendorff's alpha");

        Path prefs = tmp.resolve("prefs.jsonl");
        TinyModelDirs.Result e = TinyModelDirs.run(new AnnotateCommand(), "annotate", "export", judged.toString(),
                "--out", prefs.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(Files.readAllLines(prefs)).hasSize(8);
        assertThat(Json.mapper().readTree(Files.readAllLines(prefs).get(0)).get("chosen").asText())
                .endsWith("longer answer");
        trainOn(prefs);
    }

    /** DPO and a reward model each train a few steps on the exported file, from the CLI. */
    private void trainOn(Path prefs) throws IOException {
        Path model = TinyModelDirs.save(tmp.resolve("sft"), dev.align4j.core.model.ModelConfig.gpt2(
                TinyModelDirs.TOK.vocabSize(), 32, 16, 1, 2), Templates.PLAIN, 1, null);
        Path dpoYaml = Files.writeString(tmp.resolve("dpo.yaml"), """
                model: %s
                data: %s
                method: full
                max_steps: 2
                per_device_train_batch_size: 2
                learning_rate: 0.001
                val_set_size: 2
                max_length: 24
                sample_n: 0
                device: cpu
                """.formatted(model, prefs));
        TinyModelDirs.Result d = TinyModelDirs.run(new DpoCommand(), "dpo", "--config", dpoYaml.toString(),
                "--output-dir", tmp.resolve("dpo-run").toString());
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(tmp.resolve("dpo-run/model/provenance.json")).exists();
        Path rmYaml = Files.writeString(tmp.resolve("rm.yaml"), """
                model: %s
                data: %s
                format: preference
                method: full
                max_steps: 2
                per_device_train_batch_size: 2
                learning_rate: 0.001
                val_set_size: 2
                max_length: 24
                max_prompt_length: 12
                device: cpu
                """.formatted(model, prefs));
        TinyModelDirs.Result rm = TinyModelDirs.run(new RewardCommand(), "reward", "train", "--config",
                rmYaml.toString(), "--output-dir", tmp.resolve("rm-run").toString());
        assertThat(rm.code()).as(rm.err()).isZero();
        assertThat(Files.list(tmp.resolve("rm-run")).map(p -> p.getFileName().toString()).toList()).contains("model");
    }

    @Test
    void generateSamplesTwoDistinctResponsesPerPrompt() throws IOException {
        Path model = TinyModelDirs.save(tmp.resolve("gen"), TinyModelDirs.gpt2(), Templates.PLAIN, 2, null);
        Path prompts = Files.writeString(tmp.resolve("prompts.jsonl"), "{\"prompt\": \"the film\"}\n"
                + "{\"prompt\": \"a story\"}\n{\"prompt\": \"my day\"}\n");
        Path out = tmp.resolve("gen-pairs.jsonl");
        TinyModelDirs.Result r = TinyModelDirs.run(new AnnotateCommand(), "annotate", "generate", "--model",
                model.toString(), "--prompts", prompts.toString(), "--n", "2", "--out", out.toString(),
                "--max-new-tokens", "6", "--seed", "3", "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(r.out()).contains(lines.size() + " pairs from 3 prompts x 2 samples");
        assertThat(lines).isNotEmpty();
        for (String l : lines) {
            JsonNode n = Json.mapper().readTree(l);
            assertThat(n.get("responses")).hasSize(2);
            assertThat(n.get("responses").get(0).asText()).isNotEqualTo(n.get("responses").get(1).asText());
        }
        // the same seed gives the same bytes
        Path again = tmp.resolve("gen-pairs-2.jsonl");
        TinyModelDirs.run(new AnnotateCommand(), "annotate", "generate", "--model", model.toString(), "--prompts",
                prompts.toString(), "--out", again.toString(), "--max-new-tokens", "6", "--seed", "3", "--device", "cpu");
        assertThat(Files.readString(again)).isEqualTo(Files.readString(out));
    }
}
