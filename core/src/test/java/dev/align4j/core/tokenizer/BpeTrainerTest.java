package dev.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    private static List<String> corpus() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("the movie was great and the acting was lovely. It's " + i + " times better!\n");
            texts.add("the plot was dull but the music wasn't bad; café crème 猫猫\n");
        }
        return texts;
    }

    @Test
    void learnsFrequentWordsAndHitsTargetVocab() {
        BpeTokenizer tok = new BpeTrainer(340).train(corpus());
        assertThat(tok.vocabSize()).isEqualTo(340);
        assertThat(tok.eosId()).isEqualTo(336);
        assertThat(tok.specialIds()).containsExactly(335, 336, 337, 338, 339);
        // " was" appears 800 times: it must end up as one token
        assertThat(tok.encode(" was")).hasSize(1);
        assertThat(tok.encode("the movie was great")).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void roundTripsAnyText() {
        BpeTokenizer tok = new BpeTrainer(320).train(corpus());
        for (String s : List.of("", "the movie", "unseen wörds ñ 😀 \u00a0 x\r\n\ty", "  leading and trailing  ",
                "<|im_start|>user\nhi<|im_end|>", "123456789", "'s 're 'LL")) {
            assertThat(tok.decode(tok.encode(s))).as(s).isEqualTo(s.replace("<|im_start|>", "").replace("<|im_end|>", ""));
        }
    }

    @Test
    void trainingIsDeterministic() {
        List<String> shuffled = new ArrayList<>(corpus());
        Collections.shuffle(shuffled, new java.util.Random(7));
        BpeTokenizer a = new BpeTrainer(330).train(corpus());
        BpeTokenizer b = new BpeTrainer(330).train(shuffled);
        String probe = "the acting wasn't great, café 猫";
        assertThat(a.encode(probe)).containsExactly(b.encode(probe));
    }

    @Test
    void stopsEarlyWhenPairsRunOut() {
        BpeTokenizer tok = new BpeTrainer(10_000).train(List.of("abab abab"));
        assertThat(tok.vocabSize()).isLessThan(300);
        assertThat(tok.decode(tok.encode("abab"))).isEqualTo("abab");
    }

    @Test
    void saveLoadRoundTripThroughTokenizers(@TempDir Path dir) {
        BpeTokenizer tok = new BpeTrainer(310).train(corpus());
        tok.save(dir);
        Tokenizer back = Tokenizers.load(dir);
        assertThat(back).isInstanceOf(BpeTokenizer.class);
        assertThat(back.vocabSize()).isEqualTo(tok.vocabSize());
        String probe = "the music was lovely<|eos|>";
        assertThat(back.encode(probe)).containsExactly(tok.encode(probe));
        assertThat(back.eosId()).isEqualTo(tok.eosId());
    }

    @Test
    void rejectsTooSmallVocab() {
        assertThatThrownBy(() -> new BpeTrainer(100)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("vocab size 100 is below the minimum 261");
    }

    @Test
    void filesThatCannotTeachAMergeAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        assertThatThrownBy(() -> new BpeTrainer(300).trainOnFiles(List.of(empty)))
                .isInstanceOf(UserInputException.class).hasMessage(empty + ": empty file; a tokenizer needs"
                        + " text to learn merges from");
        Path blank = Files.writeString(dir.resolve("blank.txt"), " \n\t\n");
        assertThatThrownBy(() -> new BpeTrainer(300).trainOnFiles(List.of(blank)))
                .hasMessageStartingWith(blank + ": only whitespace");
        // every pair occurs once: nothing reaches min frequency 2
        Path once = Files.writeString(dir.resolve("once.txt"), "abcdefg\n");
        assertThatThrownBy(() -> new BpeTrainer(300).trainOnFiles(List.of(once)))
                .hasMessageStartingWith(once + ": the text yields no merges")
                .hasMessageContaining("2 or more times");
        assertThat(new BpeTrainer(300, 1).trainOnFiles(List.of(once)).mergeCount()).isPositive();
        // the smallest vocabulary asks for no merge: not an error
        assertThat(new BpeTrainer(BpeTrainer.MIN_VOCAB).trainOnFiles(List.of(once)).mergeCount()).isZero();
        Path folder = Files.createDirectories(dir.resolve("texts"));
        assertThatThrownBy(() -> new BpeTrainer(300).trainOnFiles(List.of(folder)))
                .hasMessage(folder + ": is a folder, expected a text file");
        assertThatThrownBy(() -> new BpeTrainer(300).trainOnFiles(List.of(dir.resolve("nope.txt"))))
                .hasMessage(dir.resolve("nope.txt") + ": no such file");
    }

    @Test
    void invalidUtf8IsRefusedWithItsLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.txt");
        byte[] head = "the movie\nwas great\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xC3; // a lead byte followed by an ASCII byte: malformed
        bytes[head.length + 1] = 'x';
        Files.write(bad, bytes);
        assertThatThrownBy(() -> new BpeTrainer(300).trainOnFiles(List.of(bad)))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith(bad + ":3: invalid UTF-8");
    }
}
