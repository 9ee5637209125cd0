package dev.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerTest {

    private static BpeTokenizer small() {
        return new BpeTrainer(300).train(List.of("the cat sat on the mat, the cat sat on the hat\n".repeat(20)));
    }

    @Test
    void folderWithoutMarkerLoadsThroughDjlAndSavesBack(@TempDir Path a, @TempDir Path b) throws Exception {
        BpeTokenizer bpe = small();
        bpe.save(a);
        Files.delete(a.resolve(ByteTokenizer.MARKER_FILE));
        Tokenizer hf = Tokenizers.load(a);
        assertThat(hf).isInstanceOf(HfTokenizer.class);
        assertThat(hf.specialToken(hf.eosId())).contains(SpecialTokens.EOS);
        hf.save(b);
        Tokenizer again = Tokenizers.load(b);
        assertThat(again).isInstanceOf(HfTokenizer.class);
        assertThat(again.encode("the cat<|eos|>")).containsExactly(bpe.encode("the cat<|eos|>"));
        ((HfTokenizer) hf).close();
        ((HfTokenizer) again).close();
    }

    @Test
    void specialsResolveFromNamesWithoutConfig(@TempDir Path dir) throws Exception {
        BpeTokenizer bpe = small();
        bpe.save(dir);
        Files.delete(dir.resolve(ByteTokenizer.MARKER_FILE));
        Files.delete(dir.resolve("tokenizer_config.json"));
        try (HfTokenizer hf = HfTokenizer.load(dir)) {
            assertThat(hf.bosId()).isEqualTo(bpe.bosId());
            assertThat(hf.eosId()).isEqualTo(bpe.eosId());
            assertThat(hf.padId()).isEqualTo(bpe.padId());
            assertThat(hf.specialIds()).containsExactlyInAnyOrderElementsOf(bpe.specialIds());
            assertThat(hf.vocabSize()).isEqualTo(bpe.vocabSize());
            // no truncation: a long text keeps every token
            String longText = "the cat sat ".repeat(400);
            assertThat(hf.encode(longText)).containsExactly(bpe.encode(longText));
        }
    }
}
