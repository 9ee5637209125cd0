package dev.align4j.datasets.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentimentGrammarTest {

    private final Lexicon lex = new Lexicon(List.of("good", "great", "superb"), List.of("bad", "dull", "awful"),
            List.of("movie", "plot", "acting"));
    private final SentimentGrammar g = SentimentGrammar.strict(lex);
    private final SentimentGrammar loose = new SentimentGrammar(lex);

    @Test
    void everySentenceTheCorpusWritesIsGrammatical() {
        SentimentCorpus c = new SentimentCorpus(Lexicon.bundled(), 3);
        SentimentGrammar full = SentimentGrammar.strict(Lexicon.bundled());
        SentimentGrammar words = new SentimentGrammar(Lexicon.bundled());
        for (String s : c.sentences(5000)) {
            assertThat(full.isSentence(s)).as(s).isTrue();
            assertThat(words.isSentence(s)).as(s).isTrue();
        }
    }

    @Test
    void theEightPatterns() {
        assertThat(g.isSentence("the movie was good .")).isTrue();
        assertThat(g.isSentence("the movie was good and great .")).isTrue();
        assertThat(g.isSentence("the movie was bad but the plot was good .")).isTrue();
        assertThat(g.isSentence("the movie was bad but the plot was good and superb .")).isTrue();
        assertThat(g.isSentence("what a dull movie .")).isTrue();
        assertThat(g.isSentence("i thought the acting was awful .")).isTrue();
        assertThat(g.isSentence("a great movie with a superb plot .")).isTrue();
        assertThat(g.isSentence("the movie and the plot were good .")).isTrue();
    }

    @Test
    void brokenOrOffPatternTextIsNot() {
        assertThat(g.isSentence("the movie was good")).as("no period").isFalse();
        assertThat(g.isSentence("the movie was good great .")).as("two adjectives without and").isFalse();
        assertThat(g.isSentence("the movie was good and good .")).as("the same adjective twice").isFalse();
        assertThat(g.isSentence("the movie was good and dull .")).as("mixed polarity after and").isFalse();
        assertThat(g.isSentence("the movie was good but the plot was great .")).as("but needs a contrast").isFalse();
        assertThat(g.isSentence("the movie was bad but the movie was good .")).as("the same noun twice").isFalse();
        assertThat(g.isSentence("a great movie with a dull plot .")).as("mixed polarity").isFalse();
        assertThat(g.isSentence("stalei thought the movie great .")).isFalse();
        assertThat(g.isSentence("the movie was good . the plot was good .")).as("two sentences").isFalse();
        assertThat(g.isSentence("")).isFalse();
    }

    @Test
    void theWordClassGrammarAcceptsSlotsOfTheRightClassWithoutTheCorpusConstraints() {
        assertThat(loose.isSentence("the movie was good and good .")).isTrue();
        assertThat(loose.isSentence("the movie was good but the plot was great .")).isTrue();
        assertThat(loose.isSentence("a great movie with a dull movie .")).isTrue();
        assertThat(loose.isSentence("the movie was movie .")).as("a noun in an adjective slot").isFalse();
        assertThat(loose.isSentence("the movie was good great .")).isFalse();
        assertThat(loose.isSentence("stalei thought the movie great .")).isFalse();
    }

    @Test
    void aCompletionIsJudgedWithItsPrompt() {
        assertThat(g.isCompletion("the movie", " was good .")).isTrue();
        assertThat(g.isCompletion("the movie was", "good .")).as("glued to the prompt's last word").isFalse();
    }
}
