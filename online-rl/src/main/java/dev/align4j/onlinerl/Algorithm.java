package dev.align4j.onlinerl;

import dev.align4j.core.UserInputException;
import dev.align4j.rl.GroupAdvantages;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The critic-free methods and their defaults (where a key is unset in {@link OnlineRlConfig}):
 *
 * <ul>
 *   <li>{@link #GRPO} (TRL GRPOTrainer): G = 8 completions per prompt, advantages relative to the
 *       group ({@code scale_rewards: group}), KL to the reference as a k3 loss term with beta 0.0
 *       (TRL's default: no reference held), loss_type dapo;</li>
 *   <li>{@link #RLOO} (TRL RLOOTrainer): k = 2, the leave-one-out baseline on the sequence reward
 *       minus beta 0.05 times the sequence's KL (k1 summed), advantages not normalised;</li>
 *   <li>{@link #REINFORCE_PP} (OpenRLHF {@code advantage_estimator: reinforce}): one completion per
 *       prompt, per-token reward -beta k1 (init_kl_coef 0.01) plus the score on the last token,
 *       returns-to-go whitened over the whole batch, the PPO clip (eps_clip 0.2), no critic.</li>
 * </ul>
 */
public enum Algorithm {
    GRPO(8, 0.0, GroupAdvantages.Scale.GROUP),
    RLOO(2, 0.05, GroupAdvantages.Scale.NONE),
    REINFORCE_PP(1, 0.01, GroupAdvantages.Scale.BATCH);

    private final int generations;
    private final double beta;
    private final GroupAdvantages.Scale scale;

    Algorithm(int generations, double beta, GroupAdvantages.Scale scale) {
        this.generations = generations;
        this.beta = beta;
        this.scale = scale;
    }

    /** Default completions per prompt. */
    public int defaultGenerations() {
        return generations;
    }

    /** Default KL coefficient. */
    public double defaultBeta() {
        return beta;
    }

    /** Default advantage scaling (GRPO's scale_rewards; RLOO's normalize_advantages false; REINFORCE++ batch). */
    public GroupAdvantages.Scale defaultScale() {
        return scale;
    }

    /** {@code grpo}, {@code rloo}, {@code reinforce_pp}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a config value; {@code reinforce++} is accepted for reinforce_pp. */
    public static Algorithm parse(String field, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (t.equals("reinforce++") || t.equals("reinforce_plus_plus") || t.equals("reinforcepp")) {
            return REINFORCE_PP;
        }
        for (Algorithm a : values()) {
            if (a.configName().equals(t)) {
                return a;
            }
        }
        throw new UserInputException(field + ": unknown algorithm '" + text + "'; valid: "
                + Arrays.stream(values()).map(Algorithm::configName).collect(Collectors.joining(", ")));
    }
}
