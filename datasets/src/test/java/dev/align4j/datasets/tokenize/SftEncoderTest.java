package dev.align4j.datasets.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.SftExample;
import dev.align4j.datasets.format.Source;
import dev.align4j.datasets.template.ChatTemplate;
import dev.align4j.datasets.template.Templates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Masks checked token by token with the byte tokenizer, where one character is one id. */
class SftEncoderTest {

    private static final int I = TokenizedExample.IGNORE;
    private static final int EOS = 257;
    private static final int BOS = 256;
    private static final ChatTemplate QA = new ChatTemplate("qa", false, "", null, "Q:{content}\n", null, "A:", "", "\n");
    private final ByteTokenizer tok = new ByteTokenizer();

    private static SftExample ex(Message... ms) {
        return new SftExample(new Source(Path.of("t.jsonl"), 1), List.of(ms));
    }

    private SftEncoder encoder(ChatTemplate t, int cutoff, TruncationSide side, boolean trainOnInputs) {
        return new SftEncoder(tok, t, new SftEncoder.Config(cutoff, side, trainOnInputs));
    }

    @Test
    void singleTurnMasksPromptAndTrainsReplyPlusEos() {
        TokenizedExample t = encoder(QA, 100, TruncationSide.RIGHT, false)
                .encode(ex(Message.user("hi"), Message.assistant("yo"))).orElseThrow();
        assertThat(t.inputIds()).containsExactly('Q', ':', 'h', 'i', '\n', 'A', ':', 'y', 'o', EOS, '\n');
        assertThat(t.labels()).containsExactly(I, I, I, I, I, I, I, 'y', 'o', EOS, I);
    }

    @Test
    void multiTurnTrainsOnlyAssistantTurns() {
        TokenizedExample t = encoder(QA, 100, TruncationSide.RIGHT, false).encode(ex(Message.system("s"),
                Message.user("a"), Message.assistant("b"), Message.user("c"), Message.assistant("d"))).orElseThrow();
        // system "s\n\n" | Q:a\n | A: | b EOS | \n | Q:c\n | A: | d EOS | \n
        assertThat(t.inputIds()).containsExactly('s', '\n', '\n', 'Q', ':', 'a', '\n', 'A', ':', 'b', EOS, '\n',
                'Q', ':', 'c', '\n', 'A', ':', 'd', EOS, '\n');
        assertThat(t.labels()).containsExactly(I, I, I, I, I, I, I, I, I, 'b', EOS, I,
                I, I, I, I, I, I, 'd', EOS, I);
    }

    @Test
    void bosAndTrainOnInputs() {
        TokenizedExample t = encoder(Templates.PLAIN, 100, TruncationSide.RIGHT, true)
                .encode(ex(Message.user("ab"), Message.assistant("c"))).orElseThrow();
        assertThat(t.inputIds()).containsExactly(BOS, 'a', 'b', 'c', EOS);
        assertThat(t.labels()).containsExactly(BOS, 'a', 'b', 'c', EOS);
        TokenizedExample masked = encoder(Templates.PLAIN, 100, TruncationSide.RIGHT, false)
                .encode(ex(Message.user("ab"), Message.assistant("c"))).orElseThrow();
        assertThat(masked.labels()).containsExactly(I, I, I, 'c', EOS);
    }

    @Test
    void chatmlMarkersAreSingleSpecialIds() {
        TokenizedExample t = encoder(Templates.CHATML, 100, TruncationSide.RIGHT, false)
                .encode(ex(Message.user("u"), Message.assistant("a"))).orElseThrow();
        // <|im_start|>user\nu<|im_end|>\n<|im_start|>assistant\n | a<|im_end|> EOS | \n
        assertThat(t.inputIds()).startsWith(259, 'u', 's', 'e', 'r', '\n', 'u', 260, '\n', 259);
        assertThat(t.inputIds()).endsWith('\n', 'a', 260, EOS, '\n');
        assertThat(t.labels()).endsWith(I, 'a', 260, EOS, I);
        assertThat(t.trainedTokens()).isEqualTo(3);
    }

    @Test
    void rightTruncationDropsRecordsThatLoseTheWholeReply() {
        SftEncoder enc = encoder(QA, 8, TruncationSide.RIGHT, false);
        // 'Q:hi\nA:' is 7 tokens: the cut keeps one reply token
        TokenizedExample kept = enc.encode(ex(Message.user("hi"), Message.assistant("yo"))).orElseThrow();
        assertThat(kept.inputIds()).containsExactly('Q', ':', 'h', 'i', '\n', 'A', ':', 'y');
        assertThat(kept.labels()).containsExactly(I, I, I, I, I, I, I, 'y');
        assertThat(enc.encode(ex(Message.user("long prompt"), Message.assistant("yo")))).isEmpty();
        assertThat(enc.truncatedCount()).isEqualTo(2);
        assertThat(enc.droppedCount()).isEqualTo(1);
        assertThat(enc.encodedCount()).isEqualTo(1);
    }

    @Test
    void leftTruncationKeepsTheReplyAndBos() {
        SftEncoder enc = encoder(Templates.PLAIN, 5, TruncationSide.LEFT, false);
        TokenizedExample t = enc.encode(ex(Message.user("abcdef"), Message.assistant("xy"))).orElseThrow();
        assertThat(t.inputIds()).containsExactly(BOS, 'f', 'x', 'y', EOS);
        assertThat(t.labels()).containsExactly(I, I, 'x', 'y', EOS);
    }
}
