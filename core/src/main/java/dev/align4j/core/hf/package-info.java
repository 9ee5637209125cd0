/** Model folders: safetensors, Hugging Face GPT-2/Llama checkpoints and align4j's own layout. */
package dev.align4j.core.hf;
