package dev.align4j.datasets.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** Open adjective slots counted by hand from the eight patterns. */
class SentimentCeilingTest {

    private final SentimentCeiling c = new SentimentCeiling(
            new Lexicon(List.of("great", "good"), List.of("dull"), List.of("camera", "plot")));

    @Test
    void theBestCompletionFillsEveryAdjectiveSlotThePromptLeavesOpen() {
        assertThat(c.bestCompletionScore("what a")).isEqualTo(OptionalInt.of(1)); // what a A N .
        assertThat(c.bestCompletionScore("what a dull camera")).isEqualTo(OptionalInt.of(0)); // only "."
        // the N was O but the N2 was A and A2 . : A and A2 open (O is the prompt's)
        assertThat(c.bestCompletionScore("the camera was great")).isEqualTo(OptionalInt.of(2));
        assertThat(c.bestCompletionScore("the camera")).isEqualTo(OptionalInt.of(3)); // O, A, A2
        assertThat(c.bestCompletionScore("a dull plot with")).isEqualTo(OptionalInt.of(1)); // a A N with a A2 N2 .
        assertThat(c.bestCompletionScore("i thought the")).isEqualTo(OptionalInt.of(1));
        assertThat(c.bestCompletionScore("the camera and the plot were")).isEqualTo(OptionalInt.of(1));
        assertThat(c.bestCompletionScore("hello there")).isEmpty();
        assertThat(c.bestCompletionScore("the sofa was")).isEmpty(); // not a noun of the lexicon
    }

    @Test
    void theCeilingCountsForcedTiesAsHalfAndBaselinesAboveTheBestAsLosses() {
        List<String> prompts = List.of("what a", "what a dull camera", "the camera was great", "what a", "hello");
        double[] baseline = {1, 0, 0, 2, 0}; // tie, tie, win, loss (baseline beyond the grammar), no pattern
        assertThat(c.winRateCeiling(prompts, baseline)).isCloseTo((0.5 + 0.5 + 1) / 5, within(1e-12));
    }

    @Test
    void itsPatternsAreTheCorpusPatternsTheGrammarAccepts() {
        // the slot lists here and SentimentGrammar's pattern methods describe the same eight sentences:
        // every prefix of a corpus sentence begins one of them, and the whole sentence (its "." included)
        // is one of them with nothing left open
        Lexicon lex = Lexicon.bundled();
        SentimentCeiling ceiling = new SentimentCeiling(lex);
        SentimentGrammar grammar = new SentimentGrammar(lex);
        for (String s : new SentimentCorpus(lex, 3).sentences(400)) {
            assertThat(grammar.isSentence(s)).as(s).isTrue();
            String[] w = s.split(" ");
            for (int k = 1; k < w.length; k++) {
                String prefix = String.join(" ", java.util.Arrays.copyOf(w, k));
                assertThat(ceiling.bestCompletionScore(prefix)).as(prefix).isPresent();
            }
            assertThat(ceiling.bestCompletionScore(s)).as(s).isEqualTo(OptionalInt.of(0));
        }
    }
}
