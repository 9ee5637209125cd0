package dev.align4j.core.hf;

import dev.align4j.core.model.TestModels;

import dev.align4j.core.io.Safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.Activation;
import dev.align4j.core.model.Architecture;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

class HfModelIOTest {

    private static final int[] TOKENS = {3, 1, 4, 1, 5, 9, 2, 6};

    @TempDir
    Path dir;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static float[] logits(CausalLM model, NDManager m, int... ids) {
        return model.forward(m.create(ids, new Shape(1, ids.length)), null, false).logits()
                .toFloatArray();
    }

    static ModelConfig gpt2Untied() {
        ModelConfig g = TestModels.gpt2();
        return new ModelConfig(g.architecture(), g.vocabSize(), g.contextLength(), g.dModel(),
                g.nLayers(), g.nHeads(), g.nKvHeads(), g.ffnHidden(), false, true, g.normEps(),
                g.ropeTheta(), 0.1, 0.02, Activation.GELU_TANH);
    }

    @Test
    void gpt2AndLlamaRoundTripThroughHfLayoutWithIdenticalLogits() throws Exception {
        for (ModelConfig cfg : new ModelConfig[] {TestModels.gpt2(), gpt2Untied(),
                TestModels.llamaGqa()}) {
            CausalLM model = TestModels.random(cfg, manager, 1);
            Path out = dir.resolve(cfg.architecture() + "-" + cfg.tieWordEmbeddings());
            HfModelIO.save(model, out, DataType.FLOAT32, Map.of("eos_token_id", 2));
            assertThat(HfModelIO.isHfFolder(out)).isTrue();
            CausalLM loaded = HfModelIO.load(out, manager);
            assertThat(loaded.config()).isEqualTo(cfg);
            assertThat(logits(loaded, manager, TOKENS)).containsExactly(
                    logits(model, manager, TOKENS));
            JsonNode json = Safetensors.JSON.readTree(out.resolve("config.json").toFile());
            assertThat(json.get("eos_token_id").asInt()).isEqualTo(2);
            var names = Safetensors.readHeader(out.resolve("model.safetensors")).tensors();
            if (cfg.architecture() == Architecture.LLAMA) {
                assertThat(json.get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
                assertThat(names.get("model.layers.1.self_attn.k_proj.weight").shape())
                        .isEqualTo(new Shape(8, 16));
                assertThat(names).containsKey("lm_head.weight");
            } else {
                assertThat(json.get("n_embd").asInt()).isEqualTo(16);
                // Conv1D orientation: (in, out) with q, k, v fused
                assertThat(names.get("transformer.h.0.attn.c_attn.weight").shape())
                        .isEqualTo(new Shape(16, 48));
                assertThat(names.get("transformer.h.0.mlp.c_fc.weight").shape())
                        .isEqualTo(new Shape(16, 64));
                assertThat(names.containsKey("lm_head.weight")).isEqualTo(!cfg.tieWordEmbeddings());
            }
        }
    }

    @Test
    void float16SaveLoadsBackWithinHalfPrecision() {
        CausalLM model = TestModels.random(TestModels.llamaGqa(), manager, 2);
        Path out = dir.resolve("fp16");
        HfModelIO.save(model, out, DataType.FLOAT16, null);
        assertThat(Safetensors.readHeader(out.resolve("model.safetensors")).tensors().values())
                .allMatch(t -> t.dtype().equals("F16"));
        CausalLM loaded = HfModelIO.load(out, manager);
        float[] a = model.namedParameters().get("blocks.0.mlp.up_proj.weight").getArray()
                .toFloatArray();
        float[] b = loaded.namedParameters().get("blocks.0.mlp.up_proj.weight").getArray()
                .toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertThat((double) b[i]).isCloseTo(a[i], within(1e-3 * Math.max(1, Math.abs(a[i]))));
        }
    }

    @Test
    void shardedCheckpointWithIndexLoads() throws Exception {
        CausalLM model = TestModels.random(TestModels.llamaGqa(), manager, 3);
        Path single = dir.resolve("single");
        HfModelIO.save(model, single, DataType.FLOAT32, null);
        // split the single file into two shards and write the index transformers would write
        Path sharded = dir.resolve("sharded");
        Files.createDirectories(sharded);
        Files.copy(single.resolve("config.json"), sharded.resolve("config.json"));
        Path file = single.resolve("model.safetensors");
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        ObjectNode index = Safetensors.JSON.createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        for (Safetensors.TensorInfo t : Safetensors.readHeader(file).tensors().values()) {
            boolean one = t.name().contains("layers.0") || t.name().contains("embed");
            (one ? first : second).put(t.name(), Safetensors.read(t, file, manager));
            map.put(t.name(), one ? "model-00001-of-00002.safetensors"
                    : "model-00002-of-00002.safetensors");
        }
        Safetensors.write(sharded.resolve("model-00001-of-00002.safetensors"), first,
                DataType.FLOAT32, null);
        Safetensors.write(sharded.resolve("model-00002-of-00002.safetensors"), second,
                DataType.FLOAT32, null);
        Files.writeString(sharded.resolve("model.safetensors.index.json"), index.toString());
        CausalLM loaded = ModelFolder.load(sharded, manager);
        assertThat(logits(loaded, manager, TOKENS)).containsExactly(logits(model, manager, TOKENS));
    }

    @Test
    void wrongShapeNamesTheTensorAndBothShapes() {
        Path out = saveGpt2Then("transformer.h.0.mlp.c_fc.weight",
                manager.zeros(new Shape(16, 32)));
        assertThatThrownBy(() -> HfModelIO.load(out, manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("transformer.h.0.mlp.c_fc.weight")
                .hasMessageContaining("(16, 32)").hasMessageContaining("(16, 64)");
    }

    @Test
    void missingTensorIsNamed() {
        Path out = saveGpt2Then("transformer.h.1.ln_2.bias", null);
        assertThatThrownBy(() -> HfModelIO.load(out, manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("transformer.h.1.ln_2.bias").hasMessageContaining("missing");
    }

    /** Saves a GPT-2 model in HF layout, then replaces (or with null removes) one tensor. */
    private Path saveGpt2Then(String name, NDArray replacement) {
        Path out = dir.resolve("edited");
        HfModelIO.save(TestModels.random(TestModels.gpt2(), manager, 4), out, DataType.FLOAT32,
                null);
        Path file = out.resolve("model.safetensors");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Safetensors.TensorInfo t : Safetensors.readHeader(file).tensors().values()) {
            tensors.put(t.name(), Safetensors.read(t, file, manager));
        }
        if (replacement == null) {
            tensors.remove(name);
        } else {
            tensors.put(name, replacement);
        }
        Safetensors.write(file, tensors, DataType.FLOAT32, null);
        return out;
    }

    @Test
    void unsupportedConfigsAreUserErrorsNamingTheProblem() throws Exception {
        Path out = dir.resolve("cfg");
        HfModelIO.save(TestModels.random(TestModels.llamaGqa(), manager, 5), out,
                DataType.FLOAT32, null);
        Path config = out.resolve("config.json");
        ObjectNode json = (ObjectNode) Safetensors.JSON.readTree(config.toFile());

        ObjectNode bert = json.deepCopy();
        bert.putArray("architectures").add("BertModel");
        Files.writeString(config, bert.toString());
        assertThatThrownBy(() -> HfModelIO.load(out, manager))
                .isInstanceOf(UserInputException.class).hasMessageContaining("BertModel");

        ObjectNode noHeads = json.deepCopy();
        noHeads.remove("num_attention_heads");
        Files.writeString(config, noHeads.toString());
        assertThatThrownBy(() -> HfModelIO.load(out, manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("config.json").hasMessageContaining("num_attention_heads");

        ObjectNode scaled = json.deepCopy();
        scaled.putObject("rope_scaling").put("rope_type", "llama3");
        Files.writeString(config, scaled.toString());
        assertThatThrownBy(() -> HfModelIO.load(out, manager))
                .isInstanceOf(UserInputException.class).hasMessageContaining("rope_scaling");

        Files.delete(config);
        assertThatThrownBy(() -> HfModelIO.load(out, manager))
                .isInstanceOf(UserInputException.class).hasMessageContaining("config.json");
    }
}
