package dev.align4j.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The arithmetic eval on tiny random models: accuracy counts what the judge accepts, with Wilson intervals. */
class ArithmeticEvalTest {

    private static final ByteTokenizer TOK = new ByteTokenizer();

    private static EvalConfig config(double temperature, String prompts) {
        return new EvalConfig(Map.of("a", "dir-a"), null, null, prompts, 8, 3L, 4, temperature, null, "arithmetic",
                null, null, null, "cpu");
    }

    @Test
    void greedyAccuracyCountsExactMatchesAndSampledRunsAtTheTemperature() {
        List<List<Message>> prompts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            prompts.add(List.of(Message.user(i + "+" + (i + 1) + "=")));
        }
        try (ModelBundle m = ModelBundle.create(ModelConfig.gpt2(TOK.vocabSize(), 64, 32, 1, 2), TOK, Templates.PLAIN,
                Device.cpu(), 11)) {
            Map<String, ModelBundle> models = new LinkedHashMap<>();
            models.put("a", m);
            ArithmeticEval.Problems wrong = new ArithmeticEval.Problems(prompts, java.util.Collections.nCopies(8, "no"));
            ArithmeticReport first = ArithmeticEval.evaluate(models, wrong, config(0, "p"));
            assertThat(first.temperature()).isNull();
            assertThat(first.models().get(0).sampled()).isNull();
            assertThat(first.models().get(0).greedy().correct()).isZero();
            // answers = the greedy completions on even rows: accuracy exactly 4/8 (greedy is deterministic)
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(i % 2 == 0 ? first.samples().get(i).get("a") : "no");
            }
            ArithmeticReport r = ArithmeticEval.evaluate(models, new ArithmeticEval.Problems(prompts, answers),
                    config(1.0, "p"));
            ArithmeticReport.Accuracy g = r.models().get(0).greedy();
            assertThat(g.correct()).isEqualTo(4);
            assertThat(g.accuracy()).isEqualTo(0.5);
            // Wilson 95 % for 4/8: centre (0.5 + 1.92/8) / (1 + 3.84/8), half-width ~0.29
            assertThat(g.low()).isBetween(0.21, 0.22);
            assertThat(g.high()).isBetween(0.78, 0.79);
            assertThat(r.temperature()).isEqualTo(1.0);
            assertThat(r.models().get(0).sampled().n()).isEqualTo(8);
            assertThat(r.table()).contains("| a | 50.0% [21.5, 78.5]").contains("sampled (T 1.00)");
            assertThat(r.samples().get(0)).containsEntry("prompt", "0+1=").containsEntry("answer", answers.get(0));
        }
    }

    @Test
    void loadReadsAnswersAndRefusesAPromptWithout(@TempDir Path tmp) throws Exception {
        Path ok = Files.writeString(tmp.resolve("ok.jsonl"),
                "{\"prompt\":\"1+2=\",\"answer\":\"3\"}\n{\"prompt\":\"5-1=\",\"answer\":4}\n{\"prompt\":\"2+2=\",\"answer\":\"4\"}\n");
        ArithmeticEval.Problems p = ArithmeticEval.load(ok, 2);
        assertThat(p.answers()).containsExactly("3", "4");
        assertThat(p.prompts().get(1).get(0).content()).isEqualTo("5-1=");
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"prompt\":\"1+2=\",\"answer\":\"3\"}\n{\"prompt\":\"x\"}\n");
        assertThatThrownBy(() -> ArithmeticEval.load(bad, 10)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("bad.jsonl:2: answer: missing");
        assertThatThrownBy(() -> config(1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvalConfig(Map.of("a", "d"), null, null, "p", 8, 3L, 4, 1.0, "rm", "arithmetic",
                null, null, null, "cpu")).hasMessageContaining("reward_model: not used by task arithmetic");
    }
}
