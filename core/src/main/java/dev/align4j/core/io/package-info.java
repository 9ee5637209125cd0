/** Durable file helpers: atomic writes and folder swaps, hashing, the shared JSON/YAML mapper, safetensors. */
package dev.align4j.core.io;
