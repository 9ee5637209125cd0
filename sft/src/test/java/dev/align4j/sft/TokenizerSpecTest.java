package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.tokenizer.BpeTokenizer;
import dev.align4j.core.tokenizer.BpeTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tokenizer: bpe:N} trained on the run's text: a text that yields no merge is refused by key. */
class TokenizerSpecTest {

    @Test
    void bpeOnTextWithoutARepeatedPairIsRefusedNamingTheKey() {
        TokenizerSpec spec = TokenizerSpec.parse("bpe:300");
        assertThatThrownBy(() -> spec.resolve(() -> List.of("abcdefg")))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("tokenizer: bpe:300: the training text yields no merges");
        BpeTokenizer tok = (BpeTokenizer) spec.resolve(() -> List.of("abab abab abab"));
        assertThat(tok.mergeCount()).isPositive();
        // the smallest vocabulary asks for no merge at all
        assertThat(TokenizerSpec.parse("bpe:" + BpeTrainer.MIN_VOCAB).resolve(() -> List.of("abcdefg")).vocabSize())
                .isEqualTo(BpeTrainer.MIN_VOCAB);
    }
}
