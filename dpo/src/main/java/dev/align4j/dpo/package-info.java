/** Direct preference optimisation against a frozen reference model (DpoConfig, DpoLoss, DpoTrainer). */
package dev.align4j.dpo;
