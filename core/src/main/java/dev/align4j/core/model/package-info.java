/** The decoder-only transformer (GPT-2 and Llama layouts) as DJL blocks, its heads and log-probs. */
package dev.align4j.core.model;
