/** Parameter-efficient fine-tuning: freeze/BitFit selection, LoRA, QLoRA with NF4, adapter files. */
package dev.align4j.core.peft;
