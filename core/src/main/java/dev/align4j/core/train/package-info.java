/** The one training loop (accumulation, clipping, AdamW, schedule, logging, eval, checkpoints, resume) that every method reuses. */
package dev.align4j.core.train;
