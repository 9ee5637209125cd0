package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What {@link CausalLM#forward} returns.
 *
 * @param logits (B, T, V) next-token logits at every position
 * @param hidden (B, T, C) final hidden states after the last norm (input of the LM and value heads)
 */
public record LmOutput(NDArray logits, NDArray hidden) {}
