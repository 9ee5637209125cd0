package dev.align4j.core.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Safetensors;
import dev.align4j.core.model.ModelConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Llama {@code config.json} files in the shapes transformers v4 (top-level {@code rope_theta},
 * {@code rope_scaling}) and v5 ({@code rope_parameters}) write: RoPE settings are read from either,
 * and every math-changing option align4j does not implement is refused by name.
 */
class HfConfigShapesTest {

    /** What transformers 4.x writes for a small Llama (abridged to the keys that matter). */
    private static final String V4 = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 64,
             "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
             "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 8,
             "max_position_embeddings": 128, "hidden_act": "silu", "rms_norm_eps": 1e-05,
             "rope_theta": 500000.0, "rope_scaling": null, "attention_bias": false,
             "mlp_bias": false, "attention_dropout": 0.0, "tie_word_embeddings": false,
             "torch_dtype": "float32", "transformers_version": "4.46.0"}
            """;

    /** What transformers 5.x writes: theta and type move into {@code rope_parameters}. */
    private static final String V5 = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 64,
             "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
             "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 8,
             "max_position_embeddings": 128, "hidden_act": "silu", "rms_norm_eps": 1e-05,
             "rope_parameters": {"rope_theta": 250000.0, "rope_type": "default"},
             "attention_bias": false, "mlp_bias": false, "attention_dropout": 0.0,
             "tie_word_embeddings": false, "dtype": "float32", "transformers_version": "5.0.0"}
            """;

    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    private Path write(ObjectNode json) throws Exception {
        return write(json.toString());
    }

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) Safetensors.JSON.readTree(json);
    }

    private void assertRefused(ObjectNode json, String... named) throws Exception {
        Path file = write(json);
        assertThatThrownBy(() -> HfConfig.read(file)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContainingAll(named);
    }

    @Test
    void readsThetaFromTheTopLevelInV4AndFromRopeParametersInV5() throws Exception {
        assertThat(HfConfig.read(write(V4)).ropeTheta()).isEqualTo(500000.0);
        ModelConfig v5 = HfConfig.read(write(V5));
        assertThat(v5.ropeTheta()).isEqualTo(250000.0);
        assertThat(v5.nKvHeads()).isEqualTo(2);

        ObjectNode noTheta = parse(V4);
        noTheta.remove("rope_theta");
        assertThat(HfConfig.read(write(noTheta)).ropeTheta()).isEqualTo(10000.0);
    }

    @Test
    void plainRopeTypeIsAcceptedInEitherBlockAndEitherKey() throws Exception {
        ObjectNode v4Default = parse(V4);
        v4Default.putObject("rope_scaling").put("rope_type", "default");
        assertThat(HfConfig.read(write(v4Default)).ropeTheta()).isEqualTo(500000.0);

        ObjectNode oldKey = parse(V4);
        oldKey.putObject("rope_scaling").put("type", "default");
        assertThat(HfConfig.read(write(oldKey)).ropeTheta()).isEqualTo(500000.0);

        ObjectNode sameTwice = parse(V5);
        sameTwice.put("rope_theta", 250000.0);
        assertThat(HfConfig.read(write(sameTwice)).ropeTheta()).isEqualTo(250000.0);
    }

    @Test
    void scaledRopeIsRefusedByNameInBothShapes() throws Exception {
        ObjectNode v5Llama3 = parse(V5);
        ((ObjectNode) v5Llama3.get("rope_parameters")).put("rope_type", "llama3")
                .put("factor", 8.0);
        assertRefused(v5Llama3, "rope_parameters.rope_type", "llama3");

        for (String type : new String[] {"linear", "dynamic", "yarn", "longrope"}) {
            ObjectNode v4 = parse(V4);
            v4.putObject("rope_scaling").put("rope_type", type).put("factor", 2.0);
            assertRefused(v4, "rope_scaling.rope_type", type);
        }
        ObjectNode v4OldKey = parse(V4);
        v4OldKey.putObject("rope_scaling").put("type", "linear").put("factor", 2.0);
        assertRefused(v4OldKey, "rope_scaling.type", "linear");

        ObjectNode noType = parse(V5);
        ((ObjectNode) noType.get("rope_parameters")).remove("rope_type");
        ((ObjectNode) noType.get("rope_parameters")).put("factor", 4.0);
        assertRefused(noType, "rope_parameters", "factor");
    }

    @Test
    void thetaInBothPlacesThatDisagreesIsRefusedNamingBoth() throws Exception {
        ObjectNode both = parse(V5);
        both.put("rope_theta", 10000.0);
        assertRefused(both, "rope_theta", "rope_parameters.rope_theta", "10000", "250000");
    }

    @Test
    void otherMathChangingKeysAreRefusedByNameUnlessNeutral() throws Exception {
        ObjectNode window = parse(V4);
        window.put("sliding_window", 4096);
        assertRefused(window, "sliding_window", "4096");
        window.put("use_sliding_window", false);
        assertThat(HfConfig.read(write(window)).nLayers()).isEqualTo(2);
        window.putNull("sliding_window").put("use_sliding_window", true);
        assertThat(HfConfig.read(write(window)).nLayers()).isEqualTo(2);

        for (String key : new String[] {"attn_logit_softcapping", "final_logit_softcapping"}) {
            ObjectNode capped = parse(V5);
            capped.put(key, 30.0);
            assertRefused(capped, key, "30.0");
            capped.putNull(key);
            assertThat(HfConfig.read(write(capped)).nLayers()).isEqualTo(2);
        }

        ObjectNode partial = parse(V4);
        partial.put("partial_rotary_factor", 0.5);
        assertRefused(partial, "partial_rotary_factor", "0.5");
        partial.put("partial_rotary_factor", 1.0);
        assertThat(HfConfig.read(write(partial)).nLayers()).isEqualTo(2);
        ObjectNode partialV5 = parse(V5);
        ((ObjectNode) partialV5.get("rope_parameters")).put("partial_rotary_factor", 0.25);
        assertRefused(partialV5, "rope_parameters.partial_rotary_factor", "0.25");

        ObjectNode headDim = parse(V5);
        headDim.put("head_dim", 16);
        assertRefused(headDim, "head_dim", "16");

        ObjectNode mlpOnly = parse(V4);
        mlpOnly.put("mlp_bias", true);
        assertRefused(mlpOnly, "mlp_bias");
        ObjectNode attnOnly = parse(V4);
        attnOnly.put("attention_bias", true);
        assertRefused(attnOnly, "mlp_bias", "attention_bias");
    }
}
