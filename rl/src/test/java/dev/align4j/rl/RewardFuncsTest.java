package dev.align4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.BpeTrainer;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;
import dev.align4j.datasets.template.Templates;
import dev.align4j.datasets.tokenize.PreferenceEncoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Each reward kind on fixtures with hand-computed values, the weighted sum, names, parse errors. */
class RewardFuncsTest {

    private static final ByteTokenizer TOK = new ByteTokenizer();
    private static final RewardFuncs.Context CTX = new RewardFuncs.Context(TOK, Device.cpu(), 4, 8);

    /** Rows with the prompt "q", the given response texts (EOS appended) and answers. */
    private static RewardInput rows(List<String> responses, List<String> answers) {
        List<int[]> p = new ArrayList<>();
        List<int[]> r = new ArrayList<>();
        for (String s : responses) {
            p.add(TOK.encode("q"));
            int[] ids = TOK.encode(s);
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = TOK.eosId();
            r.add(ids);
        }
        return new RewardInput(p, r, answers);
    }

    private static float[] score(String spec, RewardInput in) {
        try (CombinedReward c = RewardFuncs.load(List.of(spec), null, CTX)) {
            return c.score(in);
        }
    }

    @Test
    void exactMatchNormalisesTrimFirstLineAndSpaces() {
        RewardInput in = rows(List.of("19", " 19\n", "19 apples", "20", "1  9", "-5\n3"),
                List.of("19", "19", "19", "19", "1 9", " -5 "));
        assertThat(score("exact-match", in)).containsExactly(1f, 1f, 0f, 0f, 1f, 1f);
    }

    @Test
    void exactMatchWithoutAnAnswerIsAUserError() {
        RewardInput in = rows(List.of("19", "3"), Arrays.asList("19", null));
        assertThatThrownBy(() -> score("exact_match", in)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("reward_funcs[0]").hasMessageContaining("row 1")
                .hasMessageContaining("exact-match needs an `answer` field in the prompts file");
    }

    @Test
    void numericComparesTheFirstNumberWithinTolerance() {
        RewardInput in = rows(List.of("19 apples", "it is 19.4", "18", "none", "-3 or 4"),
                List.of("19", "19", "19", "19", "-3"));
        assertThat(score("numeric", in)).containsExactly(1f, 0f, 0f, 0f, 1f);
        assertThat(score("numeric:0.5", in)).containsExactly(1f, 1f, 0f, 0f, 1f);
        assertThat(score("numeric:1", in)).containsExactly(1f, 1f, 1f, 0f, 1f);
    }

    @Test
    void regexIsFoundAnywhereInTheText() {
        RewardInput in = rows(List.of("answer: 12", "no", "ANSWER: x"), Collections.nCopies(3, null));
        assertThat(score("regex:answer: \\d+", in)).containsExactly(1f, 0f, 0f);
        // everything after the first colon is the pattern, colons included
        assertThat(score("regex:(?i)answer:", in)).containsExactly(1f, 0f, 1f);
    }

    @Test
    void lengthIsDapoSoftOverlongPunishmentWithoutEos() {
        // MAX 8, BUFFER 4: free up to 4 tokens; 6 tokens -> -(6-4)/4 = -0.5; 8 -> -1; 9 -> -1
        RewardInput in = rows(List.of("abcd", "abcde", "abcdef", "abcdefgh", "abcdefghi"), Collections.nCopies(5, null));
        assertThat(score("length:8:4", in)).containsExactly(0f, -0.25f, -0.5f, -1f, -1f);
        // BUFFER defaults to MAX/4 = 2: free up to 6; 7 tokens -> -0.5
        RewardInput seven = rows(List.of("abcdefg"), Collections.nCopies(1, null));
        assertThat(score("length:8", seven)).containsExactly(-0.5f);
        // MAX defaults to max_new_tokens (8 in CTX)
        assertThat(score("length", seven)).containsExactly(-0.5f);
        assertThat(RewardFuncs.overlong(3, 4, 1)).isEqualTo(0);
        assertThat(RewardFuncs.overlong(4, 4, 1)).isEqualTo(-1);
    }

    @Test
    void sentimentIsTheLexiconJudgesRawScore() {
        RewardInput in = rows(List.of("a great film", "dull and awful", "the plot"), Collections.nCopies(3, null));
        float[] s = score("sentiment", in);
        assertThat(s[0]).isPositive();
        assertThat(s[1]).isNegative();
        assertThat(s[2]).isZero();
    }

    @Test
    void sentimentGrammarScoresPromptPlusResponseAgainstTheEightPatterns() {
        List<int[]> p = new ArrayList<>();
        List<int[]> r = new ArrayList<>();
        String[][] rows = {
            {"the acting was", " superb ."},                // pattern 0
            {"the acting was", " superb and witty ."},      // pattern 1
            {"the acting was", " superb and witty and ."},  // broken
            {"what a", " dull plot ."},                     // pattern 4, polarity does not matter
            {"what a", " dull dull plot ."},                // broken
            {"the ending", " was"},                         // unfinished
        };
        for (String[] row : rows) {
            int[] prompt = TOK.encode(row[0]);
            int[] withBos = new int[prompt.length + 1];
            withBos[0] = TOK.bosId();
            System.arraycopy(prompt, 0, withBos, 1, prompt.length);
            p.add(withBos);
            int[] ids = TOK.encode(row[1]);
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = TOK.eosId();
            r.add(ids);
        }
        RewardInput in = RewardInput.of(p, r);
        assertThat(score("sentiment-grammar", in)).containsExactly(1f, 1f, 0f, 1f, 0f, 0f);
    }

    @Test
    void weightedSumKeepsRawComponentsAndUniqueNames() {
        RewardInput in = rows(List.of("19", "20 x"), List.of("19", "19"));
        try (CombinedReward c = RewardFuncs.load(List.of("exact-match", "regex:x", "exact-match", "numeric:1"),
                List.of(2.0, -0.5, 1.0, 0.25), CTX)) {
            assertThat(c.names()).containsExactly("exact_match", "regex", "exact_match_2", "numeric");
            assertThat(c.lastComponents()).isEmpty();
            // row 0: 2*1 - 0.5*0 + 1*1 + 0.25*1 = 3.25; row 1: 0 - 0.5 + 0 + 0.25 = -0.25
            assertThat(c.score(in)).containsExactly(3.25f, -0.25f);
            assertThat(c.lastComponents().keySet()).containsExactly("exact_match", "regex", "exact_match_2", "numeric");
            assertThat(c.lastComponents().get("regex")).containsExactly(0f, 1f);
            assertThat(c.lastComponents().get("numeric")).containsExactly(1f, 1f);
        }
    }

    @Test
    void gatesReplaceTheSumWithTheirWeightWhereTheyFailAndAddNothingElsewhere() {
        RewardInput in = rows(List.of("19 x", "19", "20 x", "20"), List.of("19", "19", "19", "19"));
        try (CombinedReward c = RewardFuncs.load(List.of("exact-match", "gate:regex:x", "numeric:1", "gate:exact-match"),
                List.of(2.0, -1.0, 0.5, -3.0), CTX)) {
            assertThat(c.names()).containsExactly("exact_match", "gate_regex", "numeric", "gate_exact_match");
            // "19 x": exact 0, regex 1, numeric 1 -> sum 0.5, gate exact fails -> -3
            // "19": exact 1, regex 0 -> gate regex fails (-1), gate exact passes -> -1
            // "20 x": exact 0, numeric 1 (|20-19| <= 1) -> 0.5, gate exact fails -> -3
            // "20": regex and exact fail -> min(-1, -3) = -3
            assertThat(c.score(in)).containsExactly(-3f, -1f, -3f, -3f);
            assertThat(c.lastComponents().get("gate_regex")).containsExactly(1f, 0f, 1f, 0f);
        }
        try (CombinedReward c = RewardFuncs.load(List.of("numeric:1", "gate:regex:x"), List.of(2.0, -1.0), CTX)) {
            // passing rows keep 2 * numeric plus the base; failing rows get -1 whatever the base
            assertThat(c.score(in, new float[] {0.25f, 5f, -0.5f, 1f})).containsExactly(2.25f, -1f, 1.5f, -1f);
        }
        assertThat(RewardFuncs.parse("gate:reward-model:out/rm", "f")).isEqualTo(
                new RewardFuncs.Spec("gate_reward_model", "gate", "reward-model:out/rm"));
        for (String bad : List.of("gate", "gate:", "gate:gate:regex:x", "gate:bleu")) {
            assertThatThrownBy(() -> RewardFuncs.parse(bad, "reward_funcs[0]")).as(bad)
                    .isInstanceOf(UserInputException.class).hasMessageStartingWith("reward_funcs[0]: ");
        }
    }

    @Test
    void parseGivesNameKindArgAndNamesTheFieldOnErrors() {
        assertThat(RewardFuncs.parse("reward-model:out/rm", "f")).isEqualTo(
                new RewardFuncs.Spec("reward_model", "reward-model", "out/rm"));
        assertThat(RewardFuncs.parse(" exact_match ", "f")).isEqualTo(new RewardFuncs.Spec("exact_match", "exact-match", null));
        assertThat(RewardFuncs.parse("length:64:16", "f")).isEqualTo(new RewardFuncs.Spec("length", "length", "64:16"));
        for (String bad : List.of("", "bleu", "regex:(", "regex", "reward-model", "numeric:-1", "numeric:x",
                "length:0", "length:8:9", "length:8:4:2", "sentiment:x")) {
            assertThatThrownBy(() -> RewardFuncs.parse(bad, "reward_funcs[1]")).as(bad)
                    .isInstanceOf(UserInputException.class).hasMessageStartingWith("reward_funcs[1]: ")
                    .hasMessageContaining("valid kinds: reward-model:DIR, sentiment, sentiment-grammar, exact-match");
        }
    }

    @Test
    void validateChecksSizesWeightsAndFolders(@TempDir Path tmp) {
        assertThat(RewardFuncs.validate(List.of("sentiment", "length:8"), List.of(1.0, 0.5))).hasSize(2);
        assertThatThrownBy(() -> RewardFuncs.validate(List.of(), null)).hasMessageStartingWith("reward_funcs:");
        assertThatThrownBy(() -> RewardFuncs.validate(List.of("sentiment"), List.of(1.0, 2.0)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("2 weights for 1 reward_funcs");
        assertThatThrownBy(() -> RewardFuncs.validate(List.of("sentiment", "exact-match"), List.of(1.0, Double.NaN)))
                .hasMessageStartingWith("reward_weights[1]:");
        assertThatThrownBy(() -> RewardFuncs.validate(List.of("sentiment", "reward-model:" + tmp.resolve("nope")), null))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("reward_funcs[1]:")
                .hasMessageContaining("folder not found");
        assertThatThrownBy(() -> RewardFuncs.validate(List.of("reward-model:" + tmp), null))
                .hasMessageContaining("not a reward model folder");
    }

    @Test
    void rewardModelScoresPromptPlusResponseAndChecksTheTokenizer(@TempDir Path tmp) {
        Path dir = tmp.resolve("rm");
        RewardInput in = rows(List.of("great", "awful film"), Collections.nCopies(2, null));
        float[] expected;
        try (RewardBundle rm = tinyRewardModel(5)) {
            List<int[]> seqs = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                int[] p = in.prompts().get(i);
                int[] r = in.responses().get(i);
                int[] s = Arrays.copyOf(p, p.length + r.length);
                System.arraycopy(r, 0, s, p.length, r.length);
                seqs.add(s);
            }
            expected = rm.score(seqs, 1);
            rm.setStats(new RewardStats(10, 2, 4, "test"));
            rm.save(dir, Map.of("max_length", 48, "max_prompt_length", 24), Map.of("seed", 5));
        }
        try (CombinedReward c = RewardFuncs.load(List.of("reward-model:" + dir), List.of(2.0), CTX)) {
            assertThat(c.names()).containsExactly("reward_model");
            float[] s = c.score(in);
            // raw score (reward_stats.json is not applied), times the weight
            assertThat(s[0]).isCloseTo(2 * expected[0], within(1e-4f));
            assertThat(s[1]).isCloseTo(2 * expected[1], within(1e-4f));
            assertThat(c.lastComponents().get("reward_model")[1]).isCloseTo(expected[1], within(1e-5f));
        }
        Tokenizer bpe = new BpeTrainer(270, 1).train(List.of("the movie was great", "the movie was awful"));
        RewardFuncs.Context other = new RewardFuncs.Context(bpe, Device.cpu(), 4, 8);
        assertThatThrownBy(() -> RewardFuncs.load(List.of("sentiment", "reward-model:" + dir), null, other))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("reward_funcs[1]: reward-model:")
                .hasMessageContaining("another tokenizer");
    }

    @Test
    void exactMatchOnTheArithmeticTasksPromptSet(@TempDir Path tmp) {
        dev.align4j.datasets.arithmetic.ArithmeticSynth.write(tmp,
                dev.align4j.datasets.arithmetic.ArithmeticSynth.Options.of(20, 6, 4, 1));
        PromptSet ps = PromptSet.load("prompts", tmp.resolve("prompts_train.jsonl"), TOK, Templates.PLAIN, 16);
        int[] rows = {0, 1, 2};
        List<String> answers = ps.selectAnswers(rows);
        assertThat(answers).doesNotContainNull();
        // row 0 answers right, row 1 right with trailing text on the next line, row 2 off by one
        List<int[]> responses = new ArrayList<>();
        responses.add(TOK.encode(answers.get(0)));
        responses.add(TOK.encode(" " + answers.get(1) + "\n1+1=2"));
        responses.add(TOK.encode(Integer.toString(Integer.parseInt(answers.get(2)) + 1)));
        RewardInput in = new RewardInput(ps.select(rows), responses, answers);
        assertThat(score("exact-match", in)).containsExactly(1f, 1f, 0f);
    }

    /** A tiny random byte-level reward model with a random head. */
    private static RewardBundle tinyRewardModel(long seed) {
        ModelConfig cfg = ModelConfig.gpt2(TOK.vocabSize(), 64, 32, 1, 2);
        RewardBundle rm = RewardBundle.create(ModelBundle.create(cfg, TOK, Templates.PLAIN, Device.cpu(), seed),
                new PreferenceEncoder.Config(48, 24));
        Random r = new Random(seed);
        for (var p : rm.headParameters().values()) {
            NDArray a = p.getArray();
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            a.set(v);
        }
        return rm;
    }
}
