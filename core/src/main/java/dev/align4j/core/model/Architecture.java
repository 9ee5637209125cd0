package dev.align4j.core.model;

/** The two decoder layouts align4j builds. */
public enum Architecture {
    /** Learned positions, LayerNorm, GELU MLP, biases, optionally tied LM head (GPT-2). */
    GPT2,
    /** RoPE, RMSNorm, SwiGLU MLP, grouped-query attention, no biases (Llama 2/3). */
    LLAMA
}
