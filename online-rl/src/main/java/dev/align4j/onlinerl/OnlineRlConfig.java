package dev.align4j.onlinerl;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.UserInputException;
import dev.align4j.rl.GroupAdvantages;
import dev.align4j.rl.OnPolicyLoop;

import java.util.List;
import java.util.Locale;

/**
 * The critic-free part of a run's flat config (the rest is {@code TrainingArgs} and
 * {@code PeftConfig}). Keys are snake_case; an unset key takes its algorithm's default
 * ({@link Algorithm}), TRL's GRPOConfig / RLOOConfig or OpenRLHF's where one exists.
 *
 * <p>Batch terms: each iteration draws {@code rollout_batch_size} prompts and samples
 * {@code num_generations} completions of each (rows g*G .. g*G+G-1 belong to prompt g), then runs
 * {@code num_iterations} (TRL's mu) passes over the completions in shuffled mini-batches of
 * {@code mini_batch_size} completions, one optimizer step each, in micro-batches of
 * {@code per_device_train_batch_size}. The run's length is max_steps iterations (or total_episodes
 * prompts, or num_train_epochs passes over the prompts).
 *
 * @param algorithm grpo (default), rloo or reinforce_pp
 * @param policy the SFT model folder the policy starts from; also the frozen reference when beta > 0
 * @param prompts prompt dataset (any format with prompts); an {@code answer} field feeds verifiable rewards
 * @param template chat template name or file; default: the policy folder's own
 * @param rewardFuncs reward functions (rl's RewardFuncs: {@code reward-model:DIR}, {@code sentiment},
 *     {@code exact-match}, {@code numeric[:TOL]}, {@code regex:P}, {@code length:MAX[:BUFFER]})
 * @param rewardWeights one weight per reward function (TRL reward_weights); default all 1.0
 * @param rolloutBatchSize prompts per iteration (default 16)
 * @param numGenerations completions per prompt (TRL num_generations 8 for GRPO, 2 for RLOO; OpenRLHF
 *     n_samples_per_prompt 1 for REINFORCE++)
 * @param miniBatchSize completions per optimizer step; default all of an iteration's
 * @param numIterations passes over each batch, mu (TRL num_iterations 1); ratios differ from 1 after the first
 * @param maxNewTokens completion length limit (default 24, the sentiment task's; TRL max_completion_length 256)
 * @param temperature sampling temperature (TRL 1.0); top_k (0 off) and top_p (1 off) as in generation
 * @param topK sampling top-k
 * @param topP sampling nucleus p
 * @param epsilon lower clip of the ratio, and upper unless epsilon_high is set (TRL 0.2)
 * @param epsilonHigh upper clip (DAPO's clip-higher, 0.28 in the paper); default epsilon
 * @param beta KL coefficient: GRPO's k3 loss term (TRL 0.0: no reference held), RLOO's sequence KL
 *     penalty in the reward (TRL 0.05), REINFORCE++'s per-token k1 penalty (OpenRLHF init_kl_coef 0.01)
 * @param lossType loss normalisation ({@link LossType}; TRL default dapo)
 * @param scaleRewards GRPO only: group (default), batch, or none (Dr. GRPO); true/false mean group/none
 * @param normalizeAdvantages RLOO only: whiten advantages over the batch (TRL normalize_advantages false)
 * @param maskTruncatedCompletions leave completions without EOS out of the loss (TRL false; DAPO)
 * @param missingEosPenalty subtracted from the reward of completions without EOS (default none)
 * @param totalEpisodes prompts to draw in total; iterations = ceil(total / rollout_batch_size)
 * @param disableDropout sample and score without dropout so the first pass's ratio is exactly 1 (default true)
 * @param samplePrompts prompts for samples.jsonl; default the prompts file
 * @param sampleN prompts sampled for samples.jsonl (default 16; 0 writes none)
 */
public record OnlineRlConfig(
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("policy") String policy,
        @JsonProperty("prompts") String prompts,
        @JsonProperty("template") String template,
        @JsonProperty("reward_funcs") List<String> rewardFuncs,
        @JsonProperty("reward_weights") List<Double> rewardWeights,
        @JsonProperty("rollout_batch_size") Integer rolloutBatchSize,
        @JsonProperty("num_generations") Integer numGenerations,
        @JsonProperty("mini_batch_size") Integer miniBatchSize,
        @JsonProperty("num_iterations") Integer numIterations,
        @JsonProperty("max_new_tokens") Integer maxNewTokens,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("epsilon") Double epsilon,
        @JsonProperty("epsilon_high") Double epsilonHigh,
        @JsonProperty("beta") Double beta,
        @JsonProperty("loss_type") String lossType,
        @JsonProperty("scale_rewards") String scaleRewards,
        @JsonProperty("normalize_advantages") Boolean normalizeAdvantages,
        @JsonProperty("mask_truncated_completions") Boolean maskTruncatedCompletions,
        @JsonProperty("missing_eos_penalty") Double missingEosPenalty,
        @JsonProperty("total_episodes") Long totalEpisodes,
        @JsonProperty("disable_dropout") Boolean disableDropout,
        @JsonProperty("sample_prompts") String samplePrompts,
        @JsonProperty("sample_n") Integer sampleN) {

    public OnlineRlConfig {
        Algorithm algo = Algorithm.parse("algorithm", algorithm == null ? "grpo" : algorithm);
        algorithm = algo.configName();
        rewardFuncs = rewardFuncs == null ? List.of() : List.copyOf(rewardFuncs);
        rewardWeights = rewardWeights == null ? null : List.copyOf(rewardWeights);
        rolloutBatchSize = rolloutBatchSize == null ? 16 : rolloutBatchSize;
        numGenerations = numGenerations == null ? algo.defaultGenerations() : numGenerations;
        miniBatchSize = miniBatchSize == null ? rolloutBatchSize * numGenerations : miniBatchSize;
        numIterations = numIterations == null ? 1 : numIterations;
        maxNewTokens = maxNewTokens == null ? 24 : maxNewTokens;
        temperature = temperature == null ? 1.0 : temperature;
        topK = topK == null ? 0 : topK;
        topP = topP == null ? 1.0 : topP;
        epsilon = epsilon == null ? 0.2 : epsilon;
        epsilonHigh = epsilonHigh == null ? epsilon : epsilonHigh;
        beta = beta == null ? algo.defaultBeta() : beta;
        lossType = LossType.parse("loss_type", lossType == null ? "dapo" : lossType).configName();
        String ownScale = scale(algo.defaultScale().name());
        scaleRewards = scale(scaleRewards == null ? ownScale : scaleRewards);
        if (algo != Algorithm.GRPO && !scaleRewards.equals(ownScale)) {
            throw bad("scale_rewards", scaleRewards, "applies to grpo only (" + algorithm + " scales by "
                    + ownScale + "; for rloo see normalize_advantages)");
        }
        normalizeAdvantages = normalizeAdvantages != null && normalizeAdvantages;
        if (normalizeAdvantages && algo != Algorithm.RLOO) {
            throw bad("normalize_advantages", true, "applies to rloo only");
        }
        maskTruncatedCompletions = maskTruncatedCompletions != null && maskTruncatedCompletions;
        disableDropout = disableDropout == null || disableDropout;
        sampleN = sampleN == null ? 16 : sampleN;
        check(algo, rolloutBatchSize, numGenerations, miniBatchSize, numIterations, maxNewTokens);
        checkSampling(temperature, topK, topP);
        positive("epsilon", epsilon);
        positive("epsilon_high", epsilonHigh);
        nonNegative("beta", beta);
        if (missingEosPenalty != null) {
            nonNegative("missing_eos_penalty", missingEosPenalty);
        }
        if (totalEpisodes != null && totalEpisodes < 1) {
            throw bad("total_episodes", totalEpisodes, "must be >= 1");
        }
        if (sampleN < 0) {
            throw bad("sample_n", sampleN, "must be >= 0");
        }
    }

    /**
     * A builder with every key unset. (There is deliberately no {@code defaults()}: the config loader
     * would lay its GRPO values under every file, while defaults depend on the algorithm.)
     */
    public static OnlineRlConfigBuilder builder() {
        return new OnlineRlConfigBuilder();
    }

    public Algorithm algo() {
        return Algorithm.parse("algorithm", algorithm);
    }

    public LossType loss() {
        return LossType.parse("loss_type", lossType);
    }

    public GroupAdvantages.Scale scale() {
        return GroupAdvantages.Scale.valueOf(scaleRewards.toUpperCase(Locale.ROOT));
    }

    /** Completions per iteration. */
    public int completions() {
        return rolloutBatchSize * numGenerations;
    }

    /** Mini-batches per pass. */
    public int miniBatches() {
        return (completions() + miniBatchSize - 1) / miniBatchSize;
    }

    /** Iterations over {@code promptCount} prompts: total_episodes, else max_steps when > 0, else epochs. */
    public long iterations(int promptCount, long maxSteps, double numTrainEpochs) {
        return OnPolicyLoop.runLength(totalEpisodes, rolloutBatchSize, promptCount, maxSteps, numTrainEpochs);
    }

    /** Checks what may come from flags: the policy, the prompts and at least one reward function. */
    public void requireInputs() {
        if (policy == null || policy.isBlank()) {
            throw bad("policy", policy, "is required: the SFT model folder the policy starts from (--policy)");
        }
        if (prompts == null || prompts.isBlank()) {
            throw bad("prompts", prompts, "is required: a prompts file (--prompts)");
        }
        if (rewardFuncs.isEmpty()) {
            throw bad("reward_funcs", rewardFuncs, "needs at least one reward function, e.g. [sentiment] or "
                    + "[\"reward-model:runs/rm/model\"] (--reward)");
        }
    }

    private static String scale(String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "group", "true" -> "group";
            case "batch" -> "batch";
            case "none", "false" -> "none";
            default -> throw bad("scale_rewards", v, "must be group, batch or none (true = group, false = none)");
        };
    }

    private static void check(Algorithm algo, int prompts, int g, int mb, int mu, int maxNew) {
        if (prompts < 1) {
            throw bad("rollout_batch_size", prompts, "must be >= 1");
        }
        int min = algo == Algorithm.REINFORCE_PP ? 1 : 2;
        if (g < min) {
            throw bad("num_generations", g, "must be >= " + min + " for " + algo.configName()
                    + (min == 2 ? " (the baseline needs other completions of the same prompt)" : ""));
        }
        if (mb < 1 || mb > prompts * g) {
            throw bad("mini_batch_size", mb, "must be in [1, rollout_batch_size x num_generations = " + prompts * g
                    + "]");
        }
        if (mu < 1) {
            throw bad("num_iterations", mu, "must be >= 1 (passes over each batch; the run's length is max_steps)");
        }
        if (maxNew < 1) {
            throw bad("max_new_tokens", maxNew, "must be >= 1");
        }
    }

    private static void checkSampling(double temperature, int topK, double topP) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw bad("temperature", temperature, "must be a finite number > 0 (online RL samples its completions)");
        }
        if (topK < 0) {
            throw bad("top_k", topK, "must be >= 0");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw bad("top_p", topP, "must be in (0, 1]");
        }
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw bad(field, v, "must be a finite number > 0");
        }
    }

    private static void nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw bad(field, v, "must be a finite number >= 0");
        }
    }

    private static UserInputException bad(String field, Object value, String what) {
        return new UserInputException(field + ": " + what + ", got " + value);
    }
}
