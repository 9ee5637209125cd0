package dev.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteTokenizerTest {

    private final ByteTokenizer tok = new ByteTokenizer();

    @Test
    void encodesUtf8BytesAndRoundTrips() {
        assertThat(tok.encode("hé")).containsExactly('h', 0xC3, 0xA9);
        String text = "naïve café 猫 🙂 tab\tnew\nline";
        assertThat(tok.decode(tok.encode(text))).isEqualTo(text);
    }

    @Test
    void specialsHaveFixedIdsAndAreSkippedOnDecode() {
        assertThat(tok.vocabSize()).isEqualTo(261);
        assertThat(tok.bosId()).isEqualTo(256);
        assertThat(tok.eosId()).isEqualTo(257);
        assertThat(tok.padId()).isEqualTo(258);
        assertThat(tok.specialIds()).containsExactly(256, 257, 258, 259, 260);
        assertThat(tok.encode("<|im_start|>hi<|eos|>")).containsExactly(259, 'h', 'i', 257);
        assertThat(tok.decode(new int[] {256, 'o', 'k', 257})).isEqualTo("ok");
        assertThat(tok.specialToken(260)).contains("<|im_end|>");
        assertThat(tok.specialToken(65)).isEmpty();
    }

    @Test
    void cutMultiByteCharacterDecodesToReplacement() {
        assertThat(tok.decode(new int[] {0xE7, 0x8C})).isEqualTo("\uFFFD");
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) {
        tok.save(dir);
        Tokenizer back = Tokenizers.load(dir);
        assertThat(back).isInstanceOf(ByteTokenizer.class);
        assertThat(back.encode("abc<|pad|>")).containsExactly(tok.encode("abc<|pad|>"));
    }

    @Test
    void emptyFolderIsUserError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("no tokenizer here");
        Files.writeString(dir.resolve(ByteTokenizer.MARKER_FILE), "{\"type\":\"wordpiece\"}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("type: unknown tokenizer type 'wordpiece'");
    }
}
