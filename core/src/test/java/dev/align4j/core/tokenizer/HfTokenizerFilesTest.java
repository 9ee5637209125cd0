package dev.align4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hugging Face files our tokenizers save, read by two readers that share no code with the
 * tokenizers: DJL's binding of the Rust {@code tokenizers} library, and a small reader written here
 * from the format (Jackson, GPT-2's byte-to-unicode table built afresh, rank-ordered merges).
 */
class HfTokenizerFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROBES = List.of("Hello, world!", "naïve café 猫 🙂", "tab\tnew\nline  x",
            "<|im_start|>user\nhi<|im_end|>\n", "a<|eos|>b<|pad|><|bos|>", "\u0000\u00ff control", "", " ");

    @Test
    void byteTokenizerWritesAByteLevelTokenizerJsonThatBothReadersEncodeAlike(@TempDir Path dir) throws Exception {
        ByteTokenizer tok = new ByteTokenizer();
        tok.save(dir);
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", ByteTokenizer.MARKER_FILE);
        assertThat(Tokenizers.load(dir)).isInstanceOf(ByteTokenizer.class); // the marker still wins
        JsonNode root = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        assertThat(root.path("model").path("merges")).isEmpty();
        assertThat(root.path("model").path("vocab").size()).isEqualTo(tok.vocabSize());
        assertReadersAgree(tok, dir);
        assertConfig(tok, dir);
    }

    @Test
    void bpeTokenizerFilesReadTheSameInTheIndependentReader(@TempDir Path dir) throws Exception {
        BpeTokenizer tok = new BpeTrainer(300).train(List.of(String.join("\n", PROBES).repeat(20)
                + " the cat sat on the mat; the hat that the cat had"));
        assertThat(tok.mergeCount()).isPositive();
        tok.save(dir);
        assertReadersAgree(tok, dir);
        assertConfig(tok, dir);
    }

    @Test
    void chatTemplateGoesIntoTheConfigAndItsOwnFileAndAnImportedOneCanBeKept(@TempDir Path dir) throws Exception {
        new ByteTokenizer().save(dir);
        HfTokenizerFiles.writeChatTemplate(dir, "{{ bos_token }}{% for m in messages %}{{ m['content'] }}{% endfor %}", false);
        JsonNode config = JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(config.path("chat_template").asText()).startsWith("{{ bos_token }}");
        assertThat(config.path("eos_token").asText()).isEqualTo("<|eos|>"); // the rest of the config is kept
        assertThat(Files.readString(dir.resolve("chat_template.jinja"))).isEqualTo(config.path("chat_template").asText());
        HfTokenizerFiles.writeChatTemplate(dir, "other", true);
        assertThat(JSON.readTree(dir.resolve("tokenizer_config.json").toFile()).path("chat_template").asText())
                .startsWith("{{ bos_token }}");
        HfTokenizerFiles.writeChatTemplate(dir, "other", false);
        assertThat(Files.readString(dir.resolve("chat_template.jinja"))).isEqualTo("other");
    }

    @Test
    void generationConfigHasEosAndAPadThatIsNotEos(@TempDir Path dir) throws Exception {
        ByteTokenizer tok = new ByteTokenizer();
        HfTokenizerFiles.writeGenerationConfig(dir, tok);
        JsonNode g = JSON.readTree(dir.resolve("generation_config.json").toFile());
        assertThat(g.path("bos_token_id").asInt()).isEqualTo(tok.bosId());
        assertThat(g.path("eos_token_id").asInt()).isEqualTo(tok.eosId());
        assertThat(g.path("pad_token_id").asInt()).isEqualTo(tok.padId()).isNotEqualTo(tok.eosId());
    }

    private static void assertReadersAgree(Tokenizer tok, Path dir) throws Exception {
        IndependentReader reader = new IndependentReader(JSON.readTree(dir.resolve("tokenizer.json").toFile()));
        try (HfTokenizer rust = HfTokenizer.load(dir)) {
            for (String s : PROBES) {
                int[] ids = tok.encode(s);
                assertThat(reader.encode(s)).as("independent ids of %s", s).containsExactly(ids);
                assertThat(rust.encode(s)).as("tokenizers ids of %s", s).containsExactly(ids);
                assertThat(reader.decode(ids)).isEqualTo(s.replaceAll("<\\|[a-z_]+\\|>", ""));
            }
        }
    }

    /** tokenizer_config.json and special_tokens_map.json name tokens that tokenizer.json holds at our ids. */
    private static void assertConfig(Tokenizer tok, Path dir) throws Exception {
        JsonNode config = JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
        JsonNode map = JSON.readTree(dir.resolve("special_tokens_map.json").toFile());
        Map<String, Integer> added = new HashMap<>();
        JSON.readTree(dir.resolve("tokenizer.json").toFile()).path("added_tokens")
                .forEach(t -> added.put(t.path("content").asText(), t.path("id").asInt()));
        assertThat(config.path("tokenizer_class").asText()).isEqualTo("PreTrainedTokenizerFast");
        assertThat(config.path("clean_up_tokenization_spaces").asBoolean(true)).isFalse();
        for (JsonNode n : List.of(config, map)) {
            assertThat(added.get(n.path("bos_token").asText())).isEqualTo(tok.bosId());
            assertThat(added.get(n.path("eos_token").asText())).isEqualTo(tok.eosId());
            assertThat(added.get(n.path("pad_token").asText())).isEqualTo(tok.padId());
        }
        added.forEach((content, id) ->
                assertThat(config.path("added_tokens_decoder").path(String.valueOf(id)).path("content").asText()).isEqualTo(content));
    }

    /** A reader of byte-level BPE tokenizer.json files written from the format description alone. */
    private static final class IndependentReader {
        private static final Pattern GPT2 = Pattern.compile(
                "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
                Pattern.UNICODE_CHARACTER_CLASS);
        private final Map<String, Integer> vocab = new HashMap<>();
        private final Map<Integer, String> byId = new HashMap<>();
        private final Map<String, Integer> ranks = new HashMap<>();
        private final Map<String, Integer> added = new LinkedHashMap<>();
        private final Map<Integer, Integer> unicodeToByte = new HashMap<>();
        private final String[] byteToUnicode = new String[256];

        IndependentReader(JsonNode root) {
            root.path("model").path("vocab").fields().forEachRemaining(e -> {
                vocab.put(e.getKey(), e.getValue().asInt());
                byId.put(e.getValue().asInt(), e.getKey());
            });
            int r = 0;
            for (JsonNode m : root.path("model").path("merges")) {
                ranks.put(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText(), r++);
            }
            root.path("added_tokens").forEach(t -> added.put(t.path("content").asText(), t.path("id").asInt()));
            // bytes_to_unicode: printable ranges map to themselves, the rest to 256, 257, ... in byte order
            List<Integer> printable = new ArrayList<>();
            for (int[] range : new int[][] {{'!', '~'}, {0xA1, 0xAC}, {0xAE, 0xFF}}) {
                for (int b = range[0]; b <= range[1]; b++) {
                    printable.add(b);
                }
            }
            int extra = 0;
            for (int b = 0; b < 256; b++) {
                int cp = printable.contains(b) ? b : 256 + extra++;
                byteToUnicode[b] = new String(Character.toChars(cp));
                unicodeToByte.put(cp, b);
            }
        }

        int[] encode(String text) {
            List<Integer> out = new ArrayList<>();
            int pos = 0;
            while (pos <= text.length()) {
                int next = text.length();
                String hit = null;
                for (String a : added.keySet()) {
                    int at = text.indexOf(a, pos);
                    if (at >= 0 && at < next) {
                        next = at;
                        hit = a;
                    }
                }
                Matcher m = GPT2.matcher(text.substring(pos, next));
                while (m.find()) {
                    bpe(m.group(), out);
                }
                if (hit == null) {
                    break;
                }
                out.add(added.get(hit));
                pos = next + hit.length();
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        private void bpe(String word, List<Integer> out) {
            List<String> parts = new ArrayList<>();
            for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                parts.add(byteToUnicode[b & 0xFF]);
            }
            while (parts.size() > 1) {
                int best = -1;
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < parts.size(); i++) {
                    Integer rank = ranks.get(parts.get(i) + " " + parts.get(i + 1));
                    if (rank != null && rank < bestRank) {
                        bestRank = rank;
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                parts.set(best, parts.get(best) + parts.remove(best + 1));
            }
            parts.forEach(p -> out.add(vocab.get(p)));
        }

        String decode(int[] ids) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int id : ids) {
                String t = byId.get(id);
                if (t != null && !added.containsKey(t)) {
                    t.codePoints().forEach(cp -> bytes.write(unicodeToByte.get(cp)));
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
