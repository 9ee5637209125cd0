/** YAML pipelines that chain stages (pretrain, SFT, RM, PPO, DPO), resume, and write reports. */
package dev.align4j.pipelines;
