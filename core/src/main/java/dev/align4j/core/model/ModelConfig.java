package dev.align4j.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Shape of a decoder-only transformer. Serialised as {@code align4j_model.json} in a model folder
 * (snake_case keys). Both layouts share one record; fields a layout does not use are ignored by it
 * ({@code n_kv_heads}, {@code rope_theta} for GPT-2; {@code bias}, {@code tie_word_embeddings} may be
 * set for either).
 *
 * @param architecture GPT2 or LLAMA
 * @param vocabSize V, rows of the token embedding
 * @param contextLength maximum sequence length T (GPT-2's learned position table has this many rows)
 * @param dModel C, the residual width
 * @param nLayers number of blocks
 * @param nHeads attention heads; head size is dModel / nHeads
 * @param nKvHeads key/value heads for grouped-query attention (Llama); must divide nHeads
 * @param ffnHidden hidden width of the MLP (GPT-2: usually 4C; Llama SwiGLU: usually ~8C/3)
 * @param tieWordEmbeddings whether the LM head reuses the token embedding matrix
 * @param bias whether linear layers carry biases (GPT-2 true, Llama false)
 * @param normEps epsilon of LayerNorm / RMSNorm
 * @param ropeTheta RoPE base frequency (Llama)
 * @param dropout dropout probability on attention output and MLP output while training
 * @param initStd standard deviation of the normal initialisation (GPT-2: 0.02)
 * @param activation MLP activation of the GPT-2 layout: exact GELU (default, one fused kernel) or
 *     GPT-2's tanh approximation ({@code gelu_new} in Hugging Face checkpoints); Llama always uses SiLU
 */
public record ModelConfig(
        @JsonProperty("architecture") Architecture architecture,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("context_length") int contextLength,
        @JsonProperty("d_model") int dModel,
        @JsonProperty("n_layers") int nLayers,
        @JsonProperty("n_heads") int nHeads,
        @JsonProperty("n_kv_heads") int nKvHeads,
        @JsonProperty("ffn_hidden") int ffnHidden,
        @JsonProperty("tie_word_embeddings") boolean tieWordEmbeddings,
        @JsonProperty("bias") boolean bias,
        @JsonProperty("norm_eps") double normEps,
        @JsonProperty("rope_theta") double ropeTheta,
        @JsonProperty("dropout") double dropout,
        @JsonProperty("init_std") double initStd,
        @JsonProperty("activation") Activation activation) {

    public ModelConfig {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture is required (gpt2 or llama)");
        }
        positive("vocab_size", vocabSize);
        positive("context_length", contextLength);
        positive("d_model", dModel);
        positive("n_layers", nLayers);
        positive("n_heads", nHeads);
        positive("ffn_hidden", ffnHidden);
        if (nKvHeads <= 0) {
            nKvHeads = nHeads;
        }
        if (dModel % nHeads != 0) {
            throw new IllegalArgumentException(
                    "d_model " + dModel + " is not divisible by n_heads " + nHeads);
        }
        if (nHeads % nKvHeads != 0) {
            throw new IllegalArgumentException(
                    "n_heads " + nHeads + " is not a multiple of n_kv_heads " + nKvHeads);
        }
        if (architecture == Architecture.LLAMA && (dModel / nHeads) % 2 != 0) {
            throw new IllegalArgumentException(
                    "RoPE needs an even head size; d_model/n_heads = " + dModel / nHeads);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        }
        if (normEps <= 0) {
            normEps = 1e-5;
        }
        if (ropeTheta <= 0) {
            ropeTheta = 10000.0;
        }
        if (initStd <= 0) {
            initStd = 0.02;
        }
        if (activation == null) {
            activation = architecture == Architecture.LLAMA ? Activation.SILU : Activation.GELU;
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /** Head size D = C / nh. */
    public int headDim() {
        return dModel / nHeads;
    }

    /** A GPT-2 layout: 4C MLP, biases, tied head. */
    public static ModelConfig gpt2(int vocab, int ctx, int d, int layers, int heads) {
        return new ModelConfig(Architecture.GPT2, vocab, ctx, d, layers, heads, heads, 4 * d,
                true, true, 1e-5, 10000.0, 0.0, 0.02, Activation.GELU);
    }

    /** A Llama layout: SwiGLU width rounded up to a multiple of 8 from 8C/3, no biases, untied. */
    public static ModelConfig llama(int vocab, int ctx, int d, int layers, int heads, int kvHeads) {
        int hidden = ((8 * d / 3) + 7) / 8 * 8;
        return new ModelConfig(Architecture.LLAMA, vocab, ctx, d, layers, heads, kvHeads, hidden,
                false, false, 1e-5, 10000.0, 0.0, 0.02, Activation.SILU);
    }

    /** Named presets for the CLI: {@code tiny} (d=64, 2 layers) and {@code small} (d=256, 4 layers). */
    public static ModelConfig preset(String name, int vocab) {
        return switch (name) {
            case "tiny" -> gpt2(vocab, 256, 64, 2, 4);
            case "small" -> gpt2(vocab, 256, 256, 4, 4);
            case "tiny-llama" -> llama(vocab, 256, 64, 2, 4, 2);
            case "small-llama" -> llama(vocab, 256, 256, 4, 4, 2);
            default -> throw new IllegalArgumentException(
                    "unknown model preset '" + name + "' (tiny, small, tiny-llama, small-llama)");
        };
    }

    public ModelConfig withVocabSize(int v) {
        return new ModelConfig(architecture, v, contextLength, dModel, nLayers, nHeads, nKvHeads,
                ffnHidden, tieWordEmbeddings, bias, normEps, ropeTheta, dropout, initStd, activation);
    }
}
