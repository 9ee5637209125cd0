package dev.align4j.core.hf;

import dev.align4j.core.io.Safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.Activation;
import dev.align4j.core.model.Architecture;
import dev.align4j.core.model.ModelConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * Hugging Face {@code config.json} to {@link ModelConfig} and back, for {@code GPT2LMHeadModel}
 * and {@code LlamaForCausalLM}. Defaults for absent keys are those of transformers'
 * {@code GPT2Config} and {@code LlamaConfig}; options our blocks do not implement (RoPE scaling,
 * GPT-2's inverse-layer attention scaling, sliding windows, ...) are refused rather than silently
 * ignored; {@link HfUnsupportedKeys} holds the table of such keys and reads RoPE settings in the
 * shapes of transformers v4 (top-level {@code rope_theta}) and v5 ({@code rope_parameters}).
 */
public final class HfConfig {

    public static final String FILE = "config.json";

    private HfConfig() {}

    /** Reads {@code config.json} of a Hugging Face model folder. */
    public static ModelConfig read(Path file) {
        return read(HfJson.read(file));
    }

    /** The model config of an already parsed {@code config.json}; refusals name its lines. */
    static ModelConfig read(HfJson json) {
        Reader r = new Reader(json);
        HfUnsupportedKeys.refuse(json);
        Architecture arch = architecture(json);
        try {
            return switch (arch) {
                case GPT2 -> gpt2(r);
                case LLAMA -> llama(r);
            };
        } catch (IllegalArgumentException e) {
            throw json.error(null, e.getMessage());
        }
    }

    /** Which of our layouts a config describes, from {@code architectures} or {@code model_type}. */
    static Architecture architecture(HfJson json) {
        JsonNode root = json.root();
        JsonNode archs = root.path("architectures");
        for (JsonNode a : archs) {
            switch (a.asText()) {
                case "GPT2LMHeadModel", "GPT2Model":
                    return Architecture.GPT2;
                case "LlamaForCausalLM", "LlamaModel":
                    return Architecture.LLAMA;
                default:
                    break;
            }
        }
        String type = root.path("model_type").asText("");
        if (archs.isEmpty() && type.equals("gpt2")) {
            return Architecture.GPT2;
        }
        if (archs.isEmpty() && type.equals("llama")) {
            return Architecture.LLAMA;
        }
        String key = root.has("architectures") || !root.has("model_type") ? "architectures" : "model_type";
        throw json.error(key, "unknown architecture " + archs + " (model_type '" + type
                + "'); align4j loads GPT2LMHeadModel and LlamaForCausalLM");
    }

    private static ModelConfig gpt2(Reader r) {
        int d = r.integer("n_embd", null);
        int ffn = r.integer("n_inner", 4 * d);
        r.require("scale_attn_weights", true, "align4j scales attention by 1/sqrt(head_dim)");
        r.require("scale_attn_by_inverse_layer_idx", false,
                "align4j does not scale attention by the inverse layer index");
        r.require("add_cross_attention", false, "align4j has no cross-attention");
        int heads = r.integer("n_head", null);
        return new ModelConfig(Architecture.GPT2, r.integer("vocab_size", null),
                r.integer("n_positions", r.root.has("n_ctx") ? r.integer("n_ctx", null) : null),
                d, r.integer("n_layer", null), heads, heads, ffn,
                r.bool("tie_word_embeddings", true), true,
                r.number("layer_norm_epsilon", 1e-5), 10000.0,
                r.number("resid_pdrop", 0.1),
                r.number("initializer_range", 0.02),
                activation(r, r.text("activation_function", "gelu_new")));
    }

    private static Activation activation(Reader r, String name) {
        return switch (name) {
            case "gelu" -> Activation.GELU;
            // gelu_fast is the same tanh formula written differently
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> Activation.GELU_TANH;
            case "silu", "swish" -> Activation.SILU;
            default -> throw r.json.error("activation_function",
                    "'" + name + "' is not supported (gelu, gelu_new, gelu_pytorch_tanh, silu)");
        };
    }

    private static ModelConfig llama(Reader r) {
        double theta = HfUnsupportedKeys.ropeTheta(r.json, 10000.0);
        String act = r.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw r.json.error("hidden_act", "'" + act
                    + "' is not supported; Llama's SwiGLU uses silu");
        }
        boolean bias = r.bool("attention_bias", false);
        if (bias != r.bool("mlp_bias", false)) {
            throw r.json.error("mlp_bias",
                    "must equal attention_bias; align4j has one bias flag for all linear layers");
        }
        int d = r.integer("hidden_size", null);
        int heads = r.integer("num_attention_heads", null);
        if (heads <= 0) {
            throw r.json.error("num_attention_heads", "must be positive, got "
                    + heads);
        }
        int headDim = r.integer("head_dim", d / heads);
        if (headDim != d / heads) {
            throw r.json.error("head_dim", headDim
                    + " differs from hidden_size / num_attention_heads = " + d / heads
                    + ", which align4j requires");
        }
        return new ModelConfig(Architecture.LLAMA, r.integer("vocab_size", null),
                r.integer("max_position_embeddings", 2048), d,
                r.integer("num_hidden_layers", null), heads,
                r.integer("num_key_value_heads", heads), r.integer("intermediate_size", null),
                r.bool("tie_word_embeddings", false), bias,
                r.number("rms_norm_eps", 1e-6),
                theta,
                r.number("attention_dropout", 0.0),
                r.number("initializer_range", 0.02), Activation.SILU);
    }

    /**
     * A transformers {@code config.json} for {@code cfg}.
     *
     * @param torchDtype "float32" or "float16", the dtype of the saved weights
     * @param extra more keys to store (e.g. {@code bos_token_id}, {@code eos_token_id}); may be null
     */
    public static ObjectNode toJson(ModelConfig cfg, String torchDtype, Map<String, ?> extra) {
        ObjectNode o = Safetensors.JSON.createObjectNode();
        if (cfg.architecture() == Architecture.GPT2) {
            if (!cfg.bias() || cfg.nKvHeads() != cfg.nHeads()) {
                throw new UserInputException("transformers' GPT-2 needs biases and n_kv_heads == "
                        + "n_heads; this model has bias=" + cfg.bias() + ", n_kv_heads="
                        + cfg.nKvHeads() + ", n_heads=" + cfg.nHeads());
            }
            o.putArray("architectures").add("GPT2LMHeadModel");
            o.put("model_type", "gpt2");
            o.put("vocab_size", cfg.vocabSize());
            o.put("n_positions", cfg.contextLength());
            o.put("n_ctx", cfg.contextLength());
            o.put("n_embd", cfg.dModel());
            o.put("n_layer", cfg.nLayers());
            o.put("n_head", cfg.nHeads());
            o.put("n_inner", cfg.ffnHidden());
            o.put("activation_function", switch (cfg.activation()) {
                case GELU -> "gelu";
                case GELU_TANH -> "gelu_new";
                case SILU -> "silu";
            });
            o.put("layer_norm_epsilon", cfg.normEps());
            o.put("resid_pdrop", cfg.dropout());
            o.put("embd_pdrop", cfg.dropout());
            o.put("attn_pdrop", cfg.dropout());
        } else {
            o.putArray("architectures").add("LlamaForCausalLM");
            o.put("model_type", "llama");
            o.put("vocab_size", cfg.vocabSize());
            o.put("max_position_embeddings", cfg.contextLength());
            o.put("hidden_size", cfg.dModel());
            o.put("intermediate_size", cfg.ffnHidden());
            o.put("num_hidden_layers", cfg.nLayers());
            o.put("num_attention_heads", cfg.nHeads());
            o.put("num_key_value_heads", cfg.nKvHeads());
            o.put("head_dim", cfg.headDim());
            o.put("hidden_act", "silu");
            o.put("rms_norm_eps", cfg.normEps());
            o.put("rope_theta", cfg.ropeTheta());
            o.putNull("rope_scaling");
            o.put("attention_bias", cfg.bias());
            o.put("mlp_bias", cfg.bias());
            o.put("attention_dropout", cfg.dropout());
        }
        o.put("tie_word_embeddings", cfg.tieWordEmbeddings());
        o.put("initializer_range", cfg.initStd());
        o.put("torch_dtype", torchDtype);
        o.put("use_cache", true);
        if (extra != null) {
            extra.forEach((k, v) -> o.set(k, Safetensors.JSON.valueToTree(v)));
        }
        return o;
    }

    /** Typed access to keys, with errors that name the file, line and key. */
    private record Reader(HfJson json, JsonNode root) {
        Reader(HfJson json) {
            this(json, json.root());
        }

        int integer(String key, Integer fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                if (fallback == null) {
                    throw json.error(key, "missing");
                }
                return fallback;
            }
            if (!n.isNumber() || !n.canConvertToInt() || n.asDouble() != Math.rint(n.asDouble())) {
                throw json.error(key, "expected an integer, got " + n);
            }
            return n.asInt();
        }

        double number(String key, double fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isNumber()) {
                throw json.error(key, "expected a number, got " + n);
            }
            return n.asDouble();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isBoolean()) {
                throw json.error(key, "expected true or false, got " + n);
            }
            return n.asBoolean();
        }

        String text(String key, String fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isTextual()) {
                throw json.error(key, "expected a string, got " + n);
            }
            return n.textValue();
        }

        /** Refuses a boolean key set to anything but {@code expected} (absent or null is fine). */
        void require(String key, boolean expected, String why) {
            JsonNode n = root.get(key);
            if (n != null && !n.isNull() && (!n.isBoolean() || n.asBoolean() != expected)) {
                throw json.error(key, n + " is not supported (" + why + "; expected " + expected + ")");
            }
        }
    }
}
