/** Tokenizers: byte-level, byte-level BPE trained in Java (Hugging Face tokenizer.json compatible), any tokenizer.json via DJL. */
package dev.align4j.core.tokenizer;
