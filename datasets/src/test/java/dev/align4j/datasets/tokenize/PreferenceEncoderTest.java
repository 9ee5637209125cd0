package dev.align4j.datasets.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.Source;
import dev.align4j.datasets.format.UnpairedExample;
import dev.align4j.datasets.template.Templates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreferenceEncoderTest {

    private static final int BOS = 256;
    private static final int EOS = 257;
    private final Source src = new Source(Path.of("p.jsonl"), 3);

    @Test
    void promptAndRepliesEachEndingInEos() {
        PreferenceEncoder enc = new PreferenceEncoder(new ByteTokenizer(), Templates.PLAIN, new PreferenceEncoder.Config(64, 32));
        TokenizedPreference t = enc.encode(new PreferenceExample(src, List.of(Message.user("ab")), "c", "de", 1.5));
        assertThat(t.promptIds()).containsExactly(BOS, 'a', 'b');
        assertThat(t.chosenIds()).containsExactly('c', EOS);
        assertThat(t.rejectedIds()).containsExactly('d', 'e', EOS);
        assertThat(t.margin()).isEqualTo(1.5);
        assertThat(enc.truncatedCount()).isZero();
    }

    @Test
    void promptIsCutFirstFromTheLeftThenReplies() {
        PreferenceEncoder enc = new PreferenceEncoder(new ByteTokenizer(), Templates.PLAIN, new PreferenceEncoder.Config(8, 4));
        TokenizedPreference t = enc.encode(new PreferenceExample(src, List.of(Message.user("abcdefgh")), "xy", "uvwxyz", null));
        assertThat(t.promptIds()).containsExactly(BOS, 'f', 'g', 'h');
        assertThat(t.chosenIds()).containsExactly('x', 'y', EOS);
        assertThat(t.rejectedIds()).containsExactly('u', 'v', 'w', 'x');
        assertThat(enc.truncatedCount()).isEqualTo(1);
    }

    @Test
    void unpairedCarriesItsLabelAsMargin() {
        PreferenceEncoder enc = new PreferenceEncoder(new ByteTokenizer(), Templates.PLAIN, new PreferenceEncoder.Config(64, 32));
        TokenizedPreference t = enc.encode(new UnpairedExample(src, List.of(Message.user("q")), "ok", false));
        assertThat(t.chosenIds()).containsExactly('o', 'k', EOS);
        assertThat(t.rejectedIds()).isEmpty();
        assertThat(t.margin()).isEqualTo(-1.0);
    }
}
