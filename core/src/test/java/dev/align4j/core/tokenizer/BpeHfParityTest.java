package dev.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tokenizer.json} our trainer writes must encode identically in DJL's Hugging Face
 * tokenizers (Rust) and in the Java {@link BpeTokenizer}; any drift in the regex, the byte map or the
 * merge order shows up here as a differing id.
 */
class BpeHfParityTest {

    /** Strings chosen to stress the pre-tokenizer: unicode letters and digits, odd spaces, contractions. */
    static final List<String> PROBES = List.of(
            "Hello, world!", "  two  spaces  and trailing   ", "tabs\tand\nnew\r\nlines\n\n\n",
            "It's they're we've I'm you'll he'd DON'T", "numbers 12345 3.14 1,000,000 ٣٤٥ Ⅻ",
            "naïve café Zürich ñandú", "日本語のテキスト 中文 한국어", "emoji 😀👍🏽 family 👨‍👩‍👧",
            "nbsp\u00a0here and ideographic\u3000space", "zero\u200bwidth", "«quotes» “curly” — dash…",
            "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", "a<|eos|>b<|pad|><|bos|>",
            "code: for (int i = 0; i < n; i++) { x += y; }", "ÿþ\u0000\u0001 control", "Ω≈ç√∫˜µ≤≥÷",
            "", " ", "\n", "x");

    @Test
    void javaAndDjlAgreeOnFixtureCorpus(@TempDir Path dir) throws Exception {
        Path fixture = Path.of(getClass().getResource("/tokenizer/mixed.txt").toURI());
        BpeTokenizer java = new BpeTrainer(600).trainOnFiles(List.of(fixture));
        assertParity(java, dir, PROBES);
        assertParity(java, dir, Files.readAllLines(fixture));
    }

    @Test
    void javaAndDjlAgreeOnAlpaca(@TempDir Path dir) throws Exception {
        Path alpaca = Path.of(System.getProperty("align4j.shared", "../shared"), "data", "alpaca_4500.json");
        Assumptions.assumeTrue(Files.isRegularFile(alpaca), "shared data absent");
        JsonNode records = Json.mapper().readTree(alpaca.toFile());
        StringBuilder train = new StringBuilder();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            String text = r.path("instruction").asText() + "\n" + r.path("input").asText() + "\n" + r.path("output").asText();
            if (i % 10 == 0) {
                held.add(text);
            } else if (train.length() < 400_000) {
                train.append(text).append("\n\n");
            }
        }
        BpeTokenizer java = new BpeTrainer(2000).train(List.of(train.toString()));
        assertThat(java.vocabSize()).isEqualTo(2000);
        List<String> probes = new ArrayList<>(PROBES);
        probes.addAll(held);
        assertParity(java, dir, probes);
    }

    private static void assertParity(BpeTokenizer java, Path dir, List<String> probes) {
        java.save(dir);
        try (HfTokenizer hf = HfTokenizer.load(dir)) {
            assertThat(hf.vocabSize()).isEqualTo(java.vocabSize());
            assertThat(hf.eosId()).isEqualTo(java.eosId());
            assertThat(hf.bosId()).isEqualTo(java.bosId());
            assertThat(hf.padId()).isEqualTo(java.padId());
            for (String s : probes) {
                int[] ids = java.encode(s);
                assertThat(hf.encode(s)).as("ids of %s", s).containsExactly(ids);
                assertThat(hf.decode(ids)).as("decode of %s", s).isEqualTo(java.decode(ids));
                String plain = s.replaceAll("<\\|[a-z_]+\\|>", "");
                assertThat(java.decode(ids)).as("round trip of %s", s).isEqualTo(plain);
            }
        }
    }
}
