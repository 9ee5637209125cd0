package dev.align4j.datasets.arithmetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed same bytes, disjoint sets, correct answers, refusals. */
class ArithmeticSynthTest {

    private static final ArithmeticSynth.Options OPTS = ArithmeticSynth.Options.of(300, 50, 40, 7);

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedOtherData(@TempDir Path tmp) throws Exception {
        ArithmeticSynth.write(tmp.resolve("a"), OPTS);
        ArithmeticSynth.write(tmp.resolve("b"), OPTS);
        ArithmeticSynth.write(tmp.resolve("c"), ArithmeticSynth.Options.of(300, 50, 40, 8));
        for (String f : ArithmeticSynth.FILES) {
            assertThat(Files.readAllBytes(tmp.resolve("a").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
        }
        assertThat(Files.readString(tmp.resolve("a/prompts_eval.jsonl")))
                .isNotEqualTo(Files.readString(tmp.resolve("c/prompts_eval.jsonl")));
    }

    @Test
    void setsAreDisjointAnswersRightAndMoreSftKeepsThePrompts(@TempDir Path tmp) throws Exception {
        ArithmeticSynth.Written w = ArithmeticSynth.write(tmp.resolve("a"), OPTS);
        assertThat(w.sft()).isEqualTo(300);
        assertThat(w.distinctProblems()).isEqualTo(100 * 100 + 100 * 101 / 2);
        List<JsonNode> sft = read(tmp.resolve("a/sft.jsonl"));
        List<JsonNode> train = read(tmp.resolve("a/prompts_train.jsonl"));
        List<JsonNode> eval = read(tmp.resolve("a/prompts_eval.jsonl"));
        assertThat(sft).hasSize(300);
        assertThat(train).hasSize(50);
        assertThat(eval).hasSize(40);
        Set<String> seen = new HashSet<>();
        for (List<JsonNode> set : List.of(sft, train, eval)) {
            for (JsonNode r : set) {
                String p = r.get("prompt").asText();
                assertThat(seen.add(p)).as("duplicate " + p).isTrue();
                String answer = (r.has("answer") ? r.get("answer") : r.get("completion")).asText();
                assertThat(answer).isEqualTo(Long.toString(solve(p)));
                assertThat(Long.parseLong(answer)).isNotNegative();
            }
        }
        assertThat(Files.readAllLines(tmp.resolve("a/corpus.txt")).get(0))
                .isEqualTo(sft.get(0).get("prompt").asText() + sft.get(0).get("completion").asText());
        // more SFT examples: the prompt files do not change
        ArithmeticSynth.write(tmp.resolve("b"), ArithmeticSynth.Options.of(900, 50, 40, 7));
        assertThat(Files.readString(tmp.resolve("b/prompts_eval.jsonl"))).isEqualTo(Files.readString(tmp.resolve("a/prompts_eval.jsonl")));
        assertThat(Files.readString(tmp.resolve("b/prompts_train.jsonl"))).isEqualTo(Files.readString(tmp.resolve("a/prompts_train.jsonl")));
    }

    @Test
    void oneDigitAdditionOnlyCoversEveryProblemOnce(@TempDir Path tmp) throws Exception {
        ArithmeticSynth.write(tmp, new ArithmeticSynth.Options(80, 10, 10, 3, 1, "+"));
        Set<String> all = new HashSet<>();
        for (String f : List.of("sft.jsonl", "prompts_train.jsonl", "prompts_eval.jsonl")) {
            read(tmp.resolve(f)).forEach(r -> all.add(r.get("prompt").asText()));
        }
        assertThat(all).hasSize(100).allMatch(p -> p.matches("\\d\\+\\d="));
    }

    @Test
    void refusesBadOptionsAndAFolderWithTaskFiles(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> new ArithmeticSynth.Options(150, 5, 5, 1, 1, "+")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("only 100");
        assertThatThrownBy(() -> new ArithmeticSynth.Options(10, 5, 5, 1, 4, "+")).hasMessageStartingWith("max_digits");
        assertThatThrownBy(() -> new ArithmeticSynth.Options(10, 5, 5, 1, 2, "*")).hasMessageStartingWith("ops");
        Files.writeString(tmp.resolve("pipeline-stage.json"), "{}"); // other files are fine
        ArithmeticSynth.write(tmp, OPTS);
        String before = Files.readString(tmp.resolve("sft.jsonl"));
        assertThatThrownBy(() -> ArithmeticSynth.write(tmp, ArithmeticSynth.Options.of(10, 5, 5, 2)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("already holds corpus.txt");
        assertThat(Files.readString(tmp.resolve("sft.jsonl"))).isEqualTo(before);
    }

    private static long solve(String prompt) {
        String body = prompt.substring(0, prompt.length() - 1);
        int plus = body.indexOf('+');
        if (plus > 0) {
            return Long.parseLong(body.substring(0, plus)) + Long.parseLong(body.substring(plus + 1));
        }
        int minus = body.indexOf('-');
        return Long.parseLong(body.substring(0, minus)) - Long.parseLong(body.substring(minus + 1));
    }

    private static List<JsonNode> read(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(l -> {
            try {
                return Json.mapper().readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
