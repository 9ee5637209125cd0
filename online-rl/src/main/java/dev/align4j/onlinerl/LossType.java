package dev.align4j.onlinerl;

import dev.align4j.core.UserInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the per-token surrogate losses of a mini-batch are averaged (TRL GRPOConfig loss_type):
 *
 * <ul>
 *   <li>{@link #GRPO}: each sequence's token mean, then the mean over sequences (Shao et al. 2024;
 *       longer completions weigh less per token);</li>
 *   <li>{@link #DR_GRPO}: the sum over tokens divided by sequences x max_new_tokens, a constant
 *       (Liu et al. 2025, Dr. GRPO);</li>
 *   <li>{@link #DAPO}: the sum divided by the mini-batch's token count (Yu et al. 2025), TRL's
 *       default;</li>
 *   <li>{@link #BNPO}: each micro-batch's token mean, averaged over micro-batches (depends on the
 *       micro-batch size; equals DAPO with one micro-batch).</li>
 * </ul>
 */
public enum LossType {
    GRPO, DR_GRPO, DAPO, BNPO;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LossType parse(String field, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (LossType l : values()) {
            if (l.configName().equals(t)) {
                return l;
            }
        }
        throw new UserInputException(field + ": unknown loss_type '" + text + "'; valid: "
                + Arrays.stream(values()).map(LossType::configName).collect(Collectors.joining(", ")));
    }
}
