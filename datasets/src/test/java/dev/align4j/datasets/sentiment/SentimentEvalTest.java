package dev.align4j.datasets.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.Templates;

import org.junit.jupiter.api.Test;

import java.util.List;

class SentimentEvalTest {

    private static final List<List<Message>> PROMPTS = List.of(List.of(Message.user("the plot was")),
            List.of(Message.user("i thought")), List.of(Message.user("the cast")));

    private static ModelBundle tiny(long seed) {
        ByteTokenizer tok = new ByteTokenizer();
        return ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 48, 16, 1, 2), tok, Templates.PLAIN, Device.cpu(),
                seed);
    }

    @Test
    void aModelAgainstItselfTiesWithZeroKl() {
        try (ModelBundle a = tiny(1)) {
            SentimentEval.Report r = SentimentEval.evaluate(a, a, PROMPTS, Lexicon.bundled(),
                    new SentimentEval.Options(3, 8, 1.0, 5));
            // same seeds per prompt: identical samples, so every prompt is a tie
            assertThat(r.policy().completions()).isEqualTo(r.baseline().completions());
            assertThat(r.winRate()).isEqualTo(0.5);
            // generator log-probs and the forward re-scoring must agree token for token
            assertThat(r.kl()).isCloseTo(0.0, within(1e-4));
        }
    }
}
