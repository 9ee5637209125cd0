/** Batched sampling from a {@link dev.align4j.core.model.CausalLM} with the KV cache. */
package dev.align4j.core.gen;
