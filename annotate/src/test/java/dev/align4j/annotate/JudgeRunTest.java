package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentJudge;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgeRunTest {

    private static Pair pair(String a, String b) {
        return Pair.of(List.of(Message.user("p")), a, b);
    }

    @Test
    void rulesScoreLengthAndMatchesAndTheMarginMakesTies() {
        List<Pair> ps = List.of(pair("short", "much longer"), pair("abcdef", "abc"), pair("abcd", "abcde"));
        JudgeRun.Result longer = JudgeRun.run(ps, new RuleJudge((JudgeSpec.Rule) JudgeSpec.parse("rule:longer")),
                new JudgeRun.Options(0), Fixtures.ticking());
        assertThat(longer.labels()).extracting(LabelEntry::choice).containsExactly(Choice.B, Choice.A, Choice.B);
        assertThat(longer.labels().get(0)).extracting(LabelEntry::scoreA, LabelEntry::scoreB, LabelEntry::annotator,
                LabelEntry::kind).containsExactly(5.0, 11.0, "rule:longer", LabelEntry.Kind.JUDGE);
        // |5 - 4| = 1 < 2: a tie; the others differ by 6 and 3
        JudgeRun.Result margin = JudgeRun.run(ps, new RuleJudge((JudgeSpec.Rule) JudgeSpec.parse("rule:shorter")),
                new JudgeRun.Options(2), Fixtures.ticking());
        assertThat(margin.labels()).extracting(LabelEntry::choice).containsExactly(Choice.A, Choice.B, Choice.TIE);
        assertThat(margin.ties()).isEqualTo(1);
        RuleJudge regex = new RuleJudge((JudgeSpec.Rule) JudgeSpec.parse("rule:regex=\\bplease\\b"));
        assertThat(regex.score("please, please")).isEqualTo(2);
        assertThat(regex.score("pleased")).isEqualTo(0);
        assertThat(new RuleJudge((JudgeSpec.Rule) JudgeSpec.parse("rule:no-regex=!")).score("a!!")).isEqualTo(-2);
    }

    @Test
    void choiceAtTheMarginBoundary() {
        assertThat(JudgeRun.choice(1.0, 1.0, 0)).isEqualTo(Choice.TIE);
        assertThat(JudgeRun.choice(1.5, 1.0, 0.5)).isEqualTo(Choice.A); // |d| = margin is not below it
        assertThat(JudgeRun.choice(1.0, 1.4, 0.5)).isEqualTo(Choice.TIE);
    }

    @Test
    void theSentimentJudgeScoresTheResponseWithTheLexicon() {
        Lexicon lex = Lexicon.bundled();
        String pos = lex.positive().get(0);
        String neg = lex.negative().get(0);
        PairJudge j = ModelJudges.sentiment(new SentimentJudge(lex));
        double[][] s = j.score(List.of(pair("it was " + pos + " and " + pos, "it was " + neg)));
        assertThat(s[0]).containsExactly(2, -1);
        assertThat(JudgeRun.run(List.of(pair(pos, neg)), j, new JudgeRun.Options(0), Fixtures.ticking())
                .labels().get(0).choice()).isEqualTo(Choice.A);
    }

    @Test
    void badSpecsListTheForms() {
        assertThatThrownBy(() -> JudgeSpec.parse("rule:loud")).isInstanceOf(UserInputException.class)
                .hasMessageContaining("unknown judge").hasMessageContaining("rule:regex=PATTERN");
        assertThatThrownBy(() -> JudgeSpec.parse("rule:regex=(")).hasMessageContaining("bad regex");
        assertThat(JudgeSpec.parse("reward-model:runs/rm").name()).isEqualTo("reward-model:rm");
        assertThat(JudgeSpec.parse("sentiment").name()).isEqualTo("sentiment");
    }
}
