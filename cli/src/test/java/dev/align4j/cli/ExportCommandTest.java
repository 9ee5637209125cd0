package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;

import dev.align4j.cli.TinyModelDirs.Result;
import dev.align4j.core.hf.HfModelIO;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Safetensors;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {

    private static final int[] IDS = {3, 1, 4, 1, 5, 9, 2, 6};

    @TempDir
    Path tmp;

    private static float[] sourceLogits(Path model, Path adapter) {
        try (ModelBundle b = ModelBundle.load(model, Device.cpu(), null)) {
            if (adapter != null) {
                b.applyAdapter(adapter, false); // unmerged: the export must compute the same function
            }
            return TinyModelDirs.logits(b.model(), IDS);
        }
    }

    private static float[] hfLogits(Path dir) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            CausalLM model = HfModelIO.load(dir, m);
            return TinyModelDirs.logits(model, IDS);
        }
    }

    @Test
    void huggingFaceExportLoadsBackWithIdenticalLogitsAndACard() throws Exception {
        for (ModelConfig cfg : new ModelConfig[] {TinyModelDirs.gpt2(), TinyModelDirs.llama()}) {
            String arch = cfg.architecture().name().toLowerCase();
            Map<String, Object> provenance = Map.of("config", Map.of("learning_rate", 3e-4, "seed", 11),
                    "data", Map.of("sha256", "abc123"), "metrics", Map.of("final_loss", 1.25));
            Path model = TinyModelDirs.save(tmp.resolve(arch), cfg, Templates.CHATML, 1, provenance);
            Path out = tmp.resolve("export").resolve(arch + "-hf");
            Result r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            // every file transformers' from_pretrained looks for in a causal LM folder with a fast tokenizer
            assertThat(out.toFile().list()).containsExactlyInAnyOrder("config.json", "generation_config.json",
                    "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                    "chat_template.jinja", "align4j_tokenizer.json", "align4j_chat_template.json",
                    "provenance.json", "README.md");
            JsonNode tokConfig = Json.mapper().readTree(out.resolve("tokenizer_config.json").toFile());
            assertThat(tokConfig.get("chat_template").asText()).isEqualTo(Templates.CHATML.toJinja())
                    .isEqualTo(Files.readString(out.resolve("chat_template.jinja")));
            assertThat(tokConfig.get("eos_token").asText()).isEqualTo("<|eos|>");
            JsonNode gen = Json.mapper().readTree(out.resolve("generation_config.json").toFile());
            assertThat(gen.get("eos_token_id").asInt()).isEqualTo(TinyModelDirs.TOK.eosId());
            assertThat(gen.get("pad_token_id").asInt()).isEqualTo(TinyModelDirs.TOK.padId()).isNotEqualTo(TinyModelDirs.TOK.eosId());
            assertThat(hfLogits(out)).containsExactly(sourceLogits(model, null));
            JsonNode config = Json.mapper().readTree(out.resolve("config.json").toFile());
            assertThat(config.get("torch_dtype").asText()).isEqualTo("float32");
            assertThat(config.get("eos_token_id").asInt()).isEqualTo(TinyModelDirs.TOK.eosId());
            if (Files.getFileStore(out).supportsFileAttributeView(PosixFileAttributeView.class)) {
                for (String f : out.toFile().list()) { // weights, config and card alike readable by all
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f))))
                            .as(f).isEqualTo("rw-r--r--");
                }
            }
            String card = Files.readString(out.resolve("README.md"));
            assertThat(card).contains(cfg.architecture().name().equals("GPT2") ? "GPT2LMHeadModel" : "LlamaForCausalLM")
                    .contains("| d_model / layers / heads (kv) | 32 / " + cfg.nLayers())
                    .contains("\"final_loss\" : 1.25").contains("abc123").contains("chatml");
            // the whole folder loads as a bundle again, template included
            try (ModelBundle b = ModelBundle.load(out, Device.cpu(), null)) {
                assertThat(b.template()).isEqualTo(Templates.CHATML);
            }
            assertThat(tmp.resolve("export").toFile().list()).allMatch(n -> !n.startsWith("."));
        }
    }

    @Test
    void fp16ExportIsHalfTheSizeAndCloseInLogits() throws Exception {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.llama(), Templates.PLAIN, 2, null);
        Path f32 = tmp.resolve("f32");
        Path f16 = tmp.resolve("f16");
        assertThat(TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out", f32.toString()).code()).isZero();
        Result r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out", f16.toString(),
                "--dtype", "fp16");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Json.mapper().readTree(f16.resolve("config.json").toFile()).get("torch_dtype").asText())
                .isEqualTo("float16");
        double ratio = (double) Files.size(f16.resolve("model.safetensors")) / Files.size(f32.resolve("model.safetensors"));
        assertThat(ratio).isBetween(0.45, 0.55);
        float[] want = sourceLogits(model, null);
        float[] got = hfLogits(f16);
        assertThat(got).isNotEqualTo(want); // rounded to fp16, so not bit-identical
        for (int i = 0; i < want.length; i++) {
            // weights of std 0.02 rounded to 11 significant bits: logits move by about 1e-4
            assertThat(got[i]).isCloseTo(want[i], within(2e-3f));
        }
    }

    @Test
    void anAdapterIsMergedAndTheAlign4jLayoutWorksToo() throws Exception {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.llama(), Templates.PLAIN, 3, null);
        Path adapter = TinyModelDirs.adapter(model, tmp.resolve("adapter"), 9);
        Path hf = tmp.resolve("merged-hf");
        Result r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--adapter",
                adapter.toString(), "--out", hf.toString());
        assertThat(r.code()).as(r.err()).isZero();
        float[] adapted = sourceLogits(model, adapter);
        float[] got = hfLogits(hf);
        assertThat(got).isNotEqualTo(sourceLogits(model, null));
        for (int i = 0; i < adapted.length; i++) {
            assertThat(got[i]).isCloseTo(adapted[i], within(1e-4f)); // W + BA vs x W + (x A) B: rounding only
        }
        assertThat(Files.readString(hf.resolve("README.md"))).contains("merged into its weights");

        Path own = tmp.resolve("merged-align4j");
        r = TinyModelDirs.run(new ExportCommand(), "export", "--model", hf.toString(), "--out", own.toString(),
                "--format", "align4j");
        assertThat(r.code()).as(r.err()).isZero();
        try (ModelBundle b = ModelBundle.load(own, Device.cpu(), null)) {
            assertThat(TinyModelDirs.logits(b.model(), IDS)).containsExactly(got);
            assertThat(b.template()).isEqualTo(Templates.PLAIN);
        }
    }

    @Test
    void badInputIsExitTwoAndTouchesNothing() throws Exception {
        Path missing = tmp.resolve("no-model");
        Path out = tmp.resolve("out");
        Result r = TinyModelDirs.run(new ExportCommand(), "export", "--model", missing.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(missing.toString());
        assertThat(out).doesNotExist();

        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.PLAIN, 4, null);
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not a model folder");
        assertThat(out.toFile().list()).containsExactly("notes.txt");

        r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out", model.toString());
        assertThat(r.code()).isEqualTo(2);
        r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out", tmp.resolve("x").toString(),
                "--dtype", "bf16");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--dtype");
    }

    @Test
    void fp16ExportRefusesAWeightBeyondFloat16RangeNamingItAndWritesNothing() throws Exception {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.llama(), Templates.PLAIN, 5, null);
        Path weights = model.resolve(ModelFolder.WEIGHTS);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> tensors = Safetensors.load(weights, m);
            String name = tensors.keySet().stream().filter(n -> n.endsWith("1.mlp.down_proj.weight"))
                    .findFirst().orElseThrow();
            float[] v = tensors.get(name).toFloatArray();
            v[3] = -70000f;
            tensors.put(name, m.create(v, tensors.get(name).getShape()));
            Safetensors.write(weights, tensors, DataType.FLOAT32, null);
        }
        Path exports = Files.createDirectories(tmp.resolve("exports"));
        String[][] cases = {{"hf", "model.layers.1.mlp.down_proj.weight"}, {"align4j", "1.mlp.down_proj.weight"}};
        for (String[] c : cases) {
            Path out = exports.resolve("f16-" + c[0]);
            Result r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out",
                    out.toString(), "--dtype", "fp16", "--format", c[0]);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains(c[1]).contains("70000").contains("65504").doesNotContain("Exception");
            assertThat(out).doesNotExist();
            assertThat(exports.toFile().list()).isEmpty();
            // fp32 keeps the value: the same model exports
            r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(), "--out",
                    out.toString(), "--format", c[0]);
            assertThat(r.code()).as(r.err()).isZero();
            AtomicFiles.deleteTree(out);
        }
    }
}
