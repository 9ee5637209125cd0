/** Supervised fine-tuning: SftConfig, SftLoss (masked next-token cross-entropy), SftTrainer. */
package dev.align4j.sft;
