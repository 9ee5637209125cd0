/**
 * The benchmark behind {@code align4j bench}: times the real model, SFT/DPO/PPO steps, generation
 * and PEFT on one shape and reports tokens/s, MFU and memory as JSON (bench/README.md).
 */
package dev.align4j.bench;
