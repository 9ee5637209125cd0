package dev.align4j.cli;

import static dev.align4j.cli.TinyModelDirs.TOK;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align4j.cli.TinyModelDirs.Result;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final int IM_END = TOK.encode("<|im_end|>")[0];

    @TempDir
    Path tmp;

    private static List<JsonNode> lines(String text) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** What the generate command should send for a ChatML model: the rendered turn, no BOS. */
    private static int[] chatmlIds(String user) {
        return TOK.encode("<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n");
    }

    private static Generation direct(Path modelDir, Path adapter, int[] ids, SamplingParams params, long seed) {
        try (ModelBundle b = ModelBundle.load(modelDir, Device.cpu(), null)) {
            if (adapter != null) {
                b.applyAdapter(adapter, true);
            }
            return new Generator(b.model(), b.tokenizer()).generate(List.of(ids), new long[] {seed}, params, null).get(0);
        }
    }

    private static SamplingParams chatml(SamplingParams.Builder b) {
        return b.eosTokenId(TOK.eosId()).stopTokenIds(List.of(IM_END)).build();
    }

    @Test
    void greedyLinesEqualTheGeneratorsOwnOutput() throws Exception {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.CHATML, 1, null);
        Path out = tmp.resolve("sub/out.jsonl");
        Result r = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompt", "hi", "--prompt", "hello there", "--temperature", "0", "--max-new-tokens", "8",
                "--batch-size", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 2 completions");
        List<JsonNode> got = lines(Files.readString(out));
        assertThat(got).hasSize(2);
        String[] prompts = {"hi", "hello there"};
        for (int i = 0; i < 2; i++) {
            JsonNode line = got.get(i);
            List<String> keys = new ArrayList<>();
            line.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("prompt", "completion", "tokens", "finish_reason");
            Generation want = direct(model, null, chatmlIds(prompts[i]), chatml(SamplingParams.greedy(8).toBuilder()), 0);
            assertThat(line.get("prompt").asText()).isEqualTo(prompts[i]);
            assertThat(line.get("completion").asText()).isEqualTo(want.text());
            assertThat(line.get("tokens").asInt()).isEqualTo(want.length());
            assertThat(line.get("finish_reason").asText()).isEqualTo(want.finishReason().name().toLowerCase());
        }
        // the same requests batched together, to stdout: the same lines
        Result batched = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompt", "hi", "--prompt", "hello there", "--temperature", "0", "--max-new-tokens", "8");
        assertThat(batched.code()).as(batched.err()).isZero();
        assertThat(lines(batched.out())).isEqualTo(got);
        assertThat(tmp.resolve("sub").toFile().list()).containsExactly("out.jsonl");
    }

    @Test
    void maxNewTokensIsLoweredToWhatTheLongestPromptLeaves() throws Exception {
        // context 48 like the sentiment SFT model; the default --max-new-tokens 128 cannot fit
        Path model = TinyModelDirs.save(tmp.resolve("short"), ModelConfig.gpt2(TOK.vocabSize(), 48, 32, 1, 2),
                Templates.PLAIN, 5, null);
        String longer = "x".repeat(20);
        Result r = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompt", "hi", "--prompt", longer, "--temperature", "0", "--min-new-tokens", "100");
        assertThat(r.code()).as(r.err()).isZero();
        int room = 48 - 1 - longer.length(); // BOS + the longest prompt
        List<JsonNode> got = lines(r.out());
        assertThat(got).hasSize(2);
        SamplingParams fitted = SamplingParams.greedy(room).toBuilder().minNewTokens(room).eosTokenId(TOK.eosId()).build();
        for (int i = 0; i < 2; i++) {
            String prompt = i == 0 ? "hi" : longer;
            int[] ids = new int[prompt.length() + 1];
            ids[0] = TOK.bosId();
            System.arraycopy(TOK.encode(prompt), 0, ids, 1, prompt.length());
            Generation want = direct(model, null, ids, fitted, 0);
            assertThat(got.get(i).get("tokens").asInt()).isEqualTo(room).isEqualTo(want.length());
            assertThat(got.get(i).get("completion").asText()).isEqualTo(want.text());
        }
    }

    @Test
    void requestISamplesWithRowSeedOfIWhateverTheBatch() throws Exception {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.PLAIN, 2, null);
        String[] args = {"generate", "--model", model.toString(), "--prompt", "a", "--prompt", "b", "--prompt", "c",
            "--seed", "5", "--max-new-tokens", "6"};
        Result one = TinyModelDirs.run(new GenerateCommand(), concat(args, "--batch-size", "1"));
        Result three = TinyModelDirs.run(new GenerateCommand(), concat(args, "--batch-size", "3"));
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(lines(three.out())).isEqualTo(lines(one.out()));
        // plain template: BOS + the text; request 1 ("b") samples with seed rowSeed(5, 1)
        SamplingParams p = SamplingParams.builder().maxNewTokens(6).eosTokenId(TOK.eosId()).build();
        Generation want = direct(model, null, new int[] {TOK.bosId(), 'b'}, p, SamplingParams.rowSeed(5, 1));
        assertThat(lines(one.out()).get(1).get("completion").asText()).isEqualTo(want.text());
    }

    @Test
    void promptsFileOfAnyFormatAndRawMode() throws Exception {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.CHATML, 3, null);
        Path data = tmp.resolve("alpaca.jsonl");
        Files.writeString(data, "{\"instruction\": \"Say yes.\", \"output\": \"yes\"}\n"
                + "{\"instruction\": \"Say no.\", \"output\": \"no\"}\n");
        Result r = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompts", data.toString(), "--temperature", "0", "--max-new-tokens", "5");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> got = lines(r.out());
        assertThat(got).extracting(n -> n.get("prompt").asText()).containsExactly("Say yes.", "Say no.");
        Generation want = direct(model, null, chatmlIds("Say no."), chatml(SamplingParams.greedy(5).toBuilder()), 0);
        assertThat(got.get(1).get("completion").asText()).isEqualTo(want.text());

        // --raw: exactly the text's bytes, no template, only EOS stops
        Result raw = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompt", "Say no.", "--raw", "--temperature", "0", "--max-new-tokens", "5");
        Generation rawWant = direct(model, null, TOK.encode("Say no."),
                SamplingParams.greedy(5).toBuilder().eosTokenId(TOK.eosId()).build(), 0);
        assertThat(lines(raw.out()).get(0).get("completion").asText()).isEqualTo(rawWant.text());
    }

    @Test
    void anAdapterChangesTheOutputAndAnotherBasesAdapterIsRefused() throws Exception {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.llama(), Templates.PLAIN, 4, null);
        Path adapter = TinyModelDirs.adapter(model, tmp.resolve("adapter"), 7);
        String[] args = {"generate", "--model", model.toString(), "--prompt", "The film was",
            "--temperature", "0", "--max-new-tokens", "12"};
        Result base = TinyModelDirs.run(new GenerateCommand(), args);
        Result adapted = TinyModelDirs.run(new GenerateCommand(), concat(args, "--adapter", adapter.toString()));
        assertThat(adapted.code()).as(adapted.err()).isZero();
        String withAdapter = lines(adapted.out()).get(0).get("completion").asText();
        assertThat(withAdapter).isNotEqualTo(lines(base.out()).get(0).get("completion").asText());
        int[] ids = new int[] {TOK.bosId()};
        ids = concat(ids, TOK.encode("The film was"));
        SamplingParams p = SamplingParams.greedy(12).toBuilder().eosTokenId(TOK.eosId()).build();
        assertThat(withAdapter).isEqualTo(direct(model, adapter, ids, p, 0).text());

        Path other = TinyModelDirs.save(tmp.resolve("other"), TinyModelDirs.llama(), Templates.PLAIN, 5, null);
        Result refused = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", other.toString(),
                "--adapter", adapter.toString(), "--prompt", "x");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("base_model_hash").doesNotContain("\tat ");
    }

    @Test
    void badInputIsExitTwoNamingTheProblemAndWritesNothing() throws Exception {
        Path missing = tmp.resolve("no-such-model");
        Path out = tmp.resolve("out.jsonl");
        Result r = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", missing.toString(),
                "--prompt", "x", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(missing.toString());

        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.PLAIN, 1, null);
        Result tooLong = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompt", "x".repeat(127), "--max-new-tokens", "8", "--out", out.toString());
        assertThat(tooLong.code()).isEqualTo(2); // BOS + 127 bytes fill the context: no room for a token
        assertThat(tooLong.err()).contains("--prompt #1").contains("leaves no room").contains("context length 128");
        Result badTemp = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompt", "x", "--top-p", "0");
        assertThat(badTemp.code()).isEqualTo(2);
        assertThat(badTemp.err()).contains("--top-p");
        Result both = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                "--prompt", "x", "--prompts", "f.jsonl");
        assertThat(both.code()).isEqualTo(2);
        assertThat(out).doesNotExist();
    }

    @Test
    void ctrlCStopsBetweenBatchesWithoutWritingTheOutput() {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.PLAIN, 1, null);
        Path out = tmp.resolve("out.jsonl");
        Interrupts.request();
        try {
            Result r = TinyModelDirs.run(new GenerateCommand(), "generate", "--model", model.toString(),
                    "--prompt", "x", "--max-new-tokens", "2", "--out", out.toString());
            assertThat(r.code()).isEqualTo(130);
        } finally {
            Interrupts.clear();
        }
        assertThat(tmp.toFile().list()).containsExactly("m");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
