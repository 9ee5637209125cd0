package dev.align4j.core.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Safetensors;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.model.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code config.json} read with the line of every key: each refusal reads {@code FILE:LINE: key:
 * what}, on files laid out as transformers writes them (indent 2, keys sorted), and
 * {@code tie_word_embeddings} is checked against the weights.
 */
class HfConfigLinesTest {

    /** transformers 4.x {@code save_pretrained} output for a small Llama (json.dumps indent=2, sort_keys). */
    static final String V4 = """
            {
              "architectures": [
                "LlamaForCausalLM"
              ],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "head_dim": 8,
              "hidden_act": "silu",
              "hidden_size": 32,
              "intermediate_size": 64,
              "max_position_embeddings": 128,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 4,
              "num_hidden_layers": 2,
              "num_key_value_heads": 2,
              "rms_norm_eps": 1e-05,
              "rope_scaling": null,
              "rope_theta": 500000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "float32",
              "transformers_version": "4.46.0",
              "use_cache": true,
              "vocab_size": 64
            }
            """;

    /** transformers 5.x output: RoPE settings in {@code rope_parameters}, {@code dtype}. */
    static final String V5 = """
            {
              "architectures": [
                "LlamaForCausalLM"
              ],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "dtype": "float32",
              "head_dim": 8,
              "hidden_act": "silu",
              "hidden_size": 32,
              "intermediate_size": 64,
              "max_position_embeddings": 128,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 4,
              "num_hidden_layers": 2,
              "num_key_value_heads": 2,
              "rms_norm_eps": 1e-05,
              "rope_parameters": {
                "rope_theta": 250000.0,
                "rope_type": "default"
              },
              "tie_word_embeddings": false,
              "transformers_version": "5.0.0",
              "use_cache": true,
              "vocab_size": 64
            }
            """;

    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    /** The 1-based line of the first line of {@code text} containing {@code needle}. */
    static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in the text");
    }

    private void assertRefusedAt(String json, String needle, String key, String... more)
            throws Exception {
        Path file = write(json);
        assertThatThrownBy(() -> HfConfig.read(file)).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith(file + ":" + lineOf(json, needle) + ": " + key + ": ")
                .hasMessageContainingAll(List.of(more).isEmpty() ? new String[] {key} : more)
                .hasMessageNotContaining("Exception").hasMessageNotContaining("com.fasterxml");
    }

    @Test
    void bothShapesAsTransformersWritesThemLoad() throws Exception {
        ModelConfig v4 = HfConfig.read(write(V4));
        assertThat(v4.ropeTheta()).isEqualTo(500000.0);
        assertThat(v4.nKvHeads()).isEqualTo(2);
        ModelConfig v5 = HfConfig.read(write(V5));
        assertThat(v5.ropeTheta()).isEqualTo(250000.0);
        assertThat(v5.contextLength()).isEqualTo(128);
    }

    @Test
    void refusalsNameTheLineOfTheKey() throws Exception {
        assertRefusedAt(V5.replace("\"default\"", "\"llama3\""), "\"rope_type\"",
                "rope_parameters.rope_type", "llama3");
        assertRefusedAt(V4.replace("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"yarn\"}"),
                "\"rope_scaling\"", "rope_scaling.type", "yarn");
        assertRefusedAt(V4.replace("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\""),
                "\"hidden_act\"", "hidden_act", "gelu");
        assertRefusedAt(V4.replace("\"head_dim\": 8", "\"head_dim\": 16"), "\"head_dim\"", "head_dim", "16");
        assertRefusedAt(V5.replace("\"mlp_bias\": false", "\"mlp_bias\": true"), "\"mlp_bias\"", "mlp_bias");
        assertRefusedAt(V4.replace("\"rms_norm_eps\": 1e-05", "\"rms_norm_eps\": \"1e-5\""),
                "\"rms_norm_eps\"", "rms_norm_eps", "expected a number");
        assertRefusedAt(V4.replace("\"hidden_size\": 32", "\"hidden_size\": 32.5"),
                "\"hidden_size\"", "hidden_size", "expected an integer");
        assertRefusedAt(V4.replace("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": \"no\""),
                "\"tie_word_embeddings\"", "tie_word_embeddings", "true or false");
        assertRefusedAt(V5.replace("\"use_cache\": true", "\"sliding_window\": 4096"),
                "\"sliding_window\"", "sliding_window", "4096");
        String layers = V5.replace("\"use_cache\": true", "\"layer_types\": [\"full_attention\", \"full_attention\"]");
        assertThat(HfConfig.read(write(layers)).nLayers()).isEqualTo(2);
        assertRefusedAt(layers.replace("\"full_attention\"]", "\"sliding_attention\"]"), "\"layer_types\"",
                "layer_types", "sliding_attention");
        assertRefusedAt(V4.replace("\"rope_theta\": 500000.0", "\"rope_theta\": -1"),
                "\"rope_theta\"", "rope_theta", "positive");
        assertRefusedAt(V4.replace("LlamaForCausalLM", "MistralForCausalLM"),
                "\"architectures\"", "architectures", "MistralForCausalLM");
    }

    @Test
    void thetaInTwoPlacesThatDisagreesNamesBothKeysAndLines() throws Exception {
        String both = V5.replace("\"use_cache\": true", "\"rope_theta\": 10000.0");
        assertRefusedAt(both, "\"rope_theta\": 250000.0", "rope_theta, rope_parameters.rope_theta",
                "10000.0 on line " + lineOf(both, "\"rope_theta\": 10000.0"),
                "250000.0 on line " + lineOf(both, "\"rope_theta\": 250000.0"));
    }

    @Test
    void aMissingKeyNamesTheOpeningBrace() throws Exception {
        String noVocab = V4.replace(",\n  \"vocab_size\": 64", "");
        assertRefusedAt(noVocab, "{", "vocab_size", "missing");
    }

    @Test
    void aDuplicateKeyIsRefusedNamingBothLines() throws Exception {
        String dup = V4.replace("\"use_cache\": true", "\"rope_theta\": 10000.0");
        Path file = write(dup);
        int first = lineOf(dup, "\"rope_theta\": 500000.0");
        int second = lineOf(dup, "\"rope_theta\": 10000.0");
        assertThatThrownBy(() -> HfConfig.read(file)).isInstanceOf(UserInputException.class)
                .hasMessage(file + ":" + second + ": rope_theta: key appears twice (first on line "
                        + first + ")");
    }

    @Test
    void brokenJsonNamesItsLineAndAFolderOrAnArrayIsNamed() throws Exception {
        String broken = V4.replace("\"mlp_bias\": false,", "\"mlp_bias\": false,,");
        Path file = write(broken);
        assertThatThrownBy(() -> HfConfig.read(file)).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith(file + ":" + lineOf(broken, "\"mlp_bias\"") + ": invalid JSON");
        Path array = write("[\n  1\n]\n");
        assertThatThrownBy(() -> HfConfig.read(array)).hasMessage(array + ":1: not a JSON object");
        Path empty = write("");
        assertThatThrownBy(() -> HfConfig.read(empty)).hasMessageContaining(empty + ": empty file");
        Path folder = Files.createDirectories(dir.resolve("sub/config.json"));
        assertThatThrownBy(() -> HfConfig.read(folder)).hasMessageContaining(folder + ": is a folder");
    }

    /** A GPT-2 folder whose file holds {@code lm_head.weight}: equal to wte or a distinct tensor. */
    private Path gpt2WithHead(NDManager m, boolean distinct, String tie) throws Exception {
        ModelConfig untied = HfModelIOTest.gpt2Untied();
        CausalLM model = TestModels.random(untied, m, 4);
        Path out = dir.resolve("gpt2-" + distinct + "-" + tie);
        HfModelIO.save(model, out, DataType.FLOAT32, null);
        Path weights = out.resolve(TensorStore.SINGLE);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Safetensors.TensorInfo t : Safetensors.readHeader(weights).tensors().values()) {
            tensors.put(t.name(), Safetensors.read(t, weights, m));
        }
        if (!distinct) {
            tensors.put("lm_head.weight", tensors.get("transformer.wte.weight").duplicate());
        }
        if (tie == null) {
            tensors.remove("lm_head.weight");
        }
        Safetensors.write(weights, tensors, DataType.FLOAT32, null);
        Path cfg = out.resolve(HfConfig.FILE);
        ObjectNode json = (ObjectNode) Safetensors.JSON.readTree(cfg.toFile());
        if (tie == null || tie.equals("absent")) {
            json.remove("tie_word_embeddings");
        } else {
            json.put("tie_word_embeddings", Boolean.parseBoolean(tie));
        }
        Files.writeString(cfg, Safetensors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        return out;
    }

    @Test
    void tiedConfigWithADistinctLmHeadIsRefusedAndTheOtherCasesLoad() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path tiedDistinct = gpt2WithHead(m, true, "true");
            String text = Files.readString(tiedDistinct.resolve(HfConfig.FILE));
            assertThatThrownBy(() -> HfModelIO.load(tiedDistinct, m))
                    .isInstanceOf(UserInputException.class)
                    .hasMessageStartingWith(tiedDistinct.resolve(HfConfig.FILE) + ":"
                            + lineOf(text, "tie_word_embeddings") + ": tie_word_embeddings: ")
                    .hasMessageContainingAll("lm_head.weight", "differs", "false");
            // GPT-2 ties by default: an absent key is the default, said so, at the opening brace
            Path defaultTied = gpt2WithHead(m, true, "absent");
            assertThatThrownBy(() -> HfModelIO.load(defaultTied, m))
                    .hasMessageStartingWith(defaultTied.resolve(HfConfig.FILE) + ":1: tie_word_embeddings: ")
                    .hasMessageContaining("default");

            Path tiedEqual = gpt2WithHead(m, false, "true");
            assertThat(HfModelIO.load(tiedEqual, m).config().tieWordEmbeddings()).isTrue();
            Path untiedEqual = gpt2WithHead(m, false, "false");
            assertThat(HfModelIO.load(untiedEqual, m).config().tieWordEmbeddings()).isFalse();
        }
    }

    @Test
    void untiedConfigWithoutAnLmHeadIsRefusedByName() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path noHead = gpt2WithHead(m, true, null);
            Path cfg = noHead.resolve(HfConfig.FILE);
            Files.writeString(cfg, Files.readString(cfg).replace("{", "{\n  \"tie_word_embeddings\" : false,"));
            assertThatThrownBy(() -> HfModelIO.load(noHead, m)).isInstanceOf(UserInputException.class)
                    .hasMessageStartingWith(cfg + ":2: tie_word_embeddings: ")
                    .hasMessageContainingAll("no lm_head.weight", "true");
        }
    }
}
