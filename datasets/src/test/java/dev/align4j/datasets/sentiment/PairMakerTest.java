package dev.align4j.datasets.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.Templates;

import org.junit.jupiter.api.Test;

import java.util.List;

class PairMakerTest {

    /**
     * A random byte-level model writes noise; a lexicon of single letters makes the judge's scores
     * vary often enough to get both pairs and ties from a handful of prompts.
     */
    private static final Lexicon LETTERS = new Lexicon(List.of("a", "e", "i"), List.of("o", "u", "x"), List.of("n"));

    @Test
    void pairsAreLabelledByTheJudgeTiesCountedAndIndependentOfBatchSize() {
        ByteTokenizer tok = new ByteTokenizer();
        ModelConfig cfg = ModelConfig.gpt2(tok.vocabSize(), 64, 16, 1, 2);
        SentimentJudge judge = new SentimentJudge(LETTERS);
        List<String> prompts = List.of("the plot", "a", "what a", "i thought", "the music was", "the end");
        try (ModelBundle model = ModelBundle.create(cfg, tok, Templates.PLAIN, Device.cpu(), 5)) {
            PairMaker maker = new PairMaker(model, judge);
            PairMaker.Result one = maker.make(prompts, new PairMaker.Options(0, 7, 1.0, 12, 1, 1));
            PairMaker.Result four = maker.make(prompts, new PairMaker.Options(0, 7, 1.0, 12, 4, 1));
            assertThat(one.attempts()).isEqualTo(prompts.size());
            assertThat(one.pairs().size() + one.ties() + one.empty()).isEqualTo(one.attempts());
            assertThat(four.pairs()).isEqualTo(one.pairs());
            for (PairMaker.Pair p : one.pairs()) {
                assertThat(p.scoreChosen()).isEqualTo(judge.score(p.chosen())).isGreaterThan(p.scoreRejected());
                assertThat(p.scoreRejected()).isEqualTo(judge.score(p.rejected()));
                assertThat(p.toRecord()).containsEntry("margin", (double) (p.scoreChosen() - p.scoreRejected()));
            }
            // asking for a number of pairs makes extra passes over the prompts until it is reached
            PairMaker.Result n = maker.make(prompts, new PairMaker.Options(8, 7, 1.0, 12, 4, 10));
            assertThat(n.pairs()).hasSize(8);
            assertThat(n.pairs().subList(0, one.pairs().size())).isEqualTo(one.pairs());
        }
    }
}
