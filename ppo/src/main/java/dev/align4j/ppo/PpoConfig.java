package dev.align4j.ppo;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.align4j.core.UserInputException;
import dev.align4j.rl.OnPolicyLoop;

/**
 * The PPO-specific part of a run's flat config (the rest is {@code TrainingArgs} and
 * {@code PeftConfig}). Keys are snake_case; a missing key takes the default listed here, TRL's
 * {@code PPOConfig} default where one exists. Cross-field checks name the bad value.
 *
 * <p>Batch terms: each iteration samples {@code rollout_batch_size} prompts (TRL batch_size), then
 * runs {@code ppo_epochs} passes over the rollouts in shuffled mini-batches of
 * {@code mini_batch_size} sequences, one optimizer step per mini-batch. A mini-batch is processed in
 * micro-batches of {@code per_device_train_batch_size} (TrainingArgs) whose gradients add up to
 * exactly the mini-batch's.
 *
 * @param policy the policy's starting point and frozen reference: an SFT model folder
 * @param rewardModel a reward model folder (RewardBundle); frozen scorer, and the critic's initial
 *     weights (TRL initialises the value model from the reward model)
 * @param prompts prompt dataset (any format with prompts; completions are ignored)
 * @param template chat template name or file; default: the policy folder's own
 * @param rolloutBatchSize prompts sampled per iteration (default 64)
 * @param miniBatchSize sequences per optimizer step; default: rollout_batch_size (TRL num_mini_batches 1)
 * @param ppoEpochs passes over each rollout batch (TRL num_ppo_epochs 4)
 * @param maxNewTokens response length limit (default 24, the sentiment task's; TRL response_length 53)
 * @param temperature rollout sampling temperature (default 1.0). The policy whose log-probs PPO
 *     optimises is always the raw model at temperature 1; any other temperature, top_k or top_p makes
 *     the rollouts slightly off-policy
 * @param topK rollout top-k, 0 disables (default 0)
 * @param topP rollout nucleus p, 1 disables (default 1.0)
 * @param klCoef initial per-token KL penalty coefficient beta (TRL kl_coef 0.05)
 * @param klTarget target KL per sequence for the adaptive controller (Ziegler et al. 2019); null
 *     keeps kl_coef fixed (default null; TRL's old PPOTrainer target 6)
 * @param klHorizon adaptive controller horizon in episodes (TRL 10000)
 * @param gamma discount (TRL 1.0)
 * @param lam GAE lambda (TRL 0.95)
 * @param cliprange policy ratio clip epsilon (TRL 0.2)
 * @param cliprangeValue value clip around the rollout values (TRL 0.2)
 * @param vfCoef value loss weight (TRL 0.1)
 * @param whitenRewards scale per-token rewards to unit std before GAE, mean kept (TRL false)
 * @param normalizeReward score = (r - mean) / std with the reward model's reward_stats.json (default true)
 * @param missingEosPenalty subtracted from the (normalised) score of responses that hit max_new_tokens
 *     without EOS; null disables (TRL missing_eos_penalty None)
 * @param numIterations PPO iterations; default from total_episodes, else max_steps, else
 *     num_train_epochs passes over the prompts
 * @param totalEpisodes sequences to sample in total (TRL total_episodes); iterations =
 *     ceil(total_episodes / rollout_batch_size)
 * @param disableDropout run policy and critic without dropout, so the rollout log-probs and the first
 *     update see the same function (TRL disables dropout in PPO; default true)
 * @param samplePrompts prompts for {@code samples.jsonl}; default: the prompts file
 * @param sampleN prompts sampled for {@code samples.jsonl} (default 16; 0 writes none)
 * @param rewardFuncs reward functions added to the reward model's (normalised) score, in rl's
 *     {@code RewardFuncs} specs (e.g. {@code [sentiment-grammar]} or a gate
 *     {@code ["gate:sentiment-grammar"]}); gates act on the total, reward model included. Default none
 * @param rewardWeights one weight per reward function (a gate's weight is the score of a row that
 *     fails it); default all 1.0
 */
public record PpoConfig(
        @JsonProperty("policy") String policy,
        @JsonProperty("reward_model") String rewardModel,
        @JsonProperty("prompts") String prompts,
        @JsonProperty("template") String template,
        @JsonProperty("rollout_batch_size") Integer rolloutBatchSize,
        @JsonProperty("mini_batch_size") Integer miniBatchSize,
        @JsonProperty("ppo_epochs") Integer ppoEpochs,
        @JsonProperty("max_new_tokens") Integer maxNewTokens,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("kl_coef") Double klCoef,
        @JsonProperty("kl_target") Double klTarget,
        @JsonProperty("kl_horizon") Double klHorizon,
        @JsonProperty("gamma") Double gamma,
        @JsonProperty("lam") Double lam,
        @JsonProperty("cliprange") Double cliprange,
        @JsonProperty("cliprange_value") Double cliprangeValue,
        @JsonProperty("vf_coef") Double vfCoef,
        @JsonProperty("whiten_rewards") Boolean whitenRewards,
        @JsonProperty("normalize_reward") Boolean normalizeReward,
        @JsonProperty("missing_eos_penalty") Double missingEosPenalty,
        @JsonProperty("num_iterations") Integer numIterations,
        @JsonProperty("total_episodes") Long totalEpisodes,
        @JsonProperty("disable_dropout") Boolean disableDropout,
        @JsonProperty("sample_prompts") String samplePrompts,
        @JsonProperty("sample_n") Integer sampleN,
        @JsonProperty("reward_funcs") java.util.List<String> rewardFuncs,
        @JsonProperty("reward_weights") java.util.List<Double> rewardWeights) {

    public PpoConfig {
        rolloutBatchSize = rolloutBatchSize == null ? 64 : rolloutBatchSize;
        miniBatchSize = miniBatchSize == null ? rolloutBatchSize : miniBatchSize;
        ppoEpochs = ppoEpochs == null ? 4 : ppoEpochs;
        maxNewTokens = maxNewTokens == null ? 24 : maxNewTokens;
        temperature = temperature == null ? 1.0 : temperature;
        topK = topK == null ? 0 : topK;
        topP = topP == null ? 1.0 : topP;
        klCoef = klCoef == null ? 0.05 : klCoef;
        klHorizon = klHorizon == null ? 10000.0 : klHorizon;
        gamma = gamma == null ? 1.0 : gamma;
        lam = lam == null ? 0.95 : lam;
        cliprange = cliprange == null ? 0.2 : cliprange;
        cliprangeValue = cliprangeValue == null ? 0.2 : cliprangeValue;
        vfCoef = vfCoef == null ? 0.1 : vfCoef;
        whitenRewards = whitenRewards == null ? Boolean.FALSE : whitenRewards;
        normalizeReward = normalizeReward == null ? Boolean.TRUE : normalizeReward;
        disableDropout = disableDropout == null ? Boolean.TRUE : disableDropout;
        sampleN = sampleN == null ? 16 : sampleN;
        rewardFuncs = rewardFuncs == null || rewardFuncs.isEmpty() ? null : java.util.List.copyOf(rewardFuncs);
        if (rewardWeights != null && rewardFuncs == null) {
            throw bad("reward_weights", rewardWeights, "needs reward_funcs to weigh");
        }

        atLeast("rollout_batch_size", rolloutBatchSize, 1);
        if (miniBatchSize < 1 || miniBatchSize > rolloutBatchSize) {
            throw bad("mini_batch_size", miniBatchSize, "must be in [1, rollout_batch_size " + rolloutBatchSize + "]");
        }
        atLeast("ppo_epochs", ppoEpochs, 1);
        atLeast("max_new_tokens", maxNewTokens, 1);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw bad("temperature", temperature, "must be a finite number > 0 (PPO needs sampled rollouts)");
        }
        atLeast("top_k", topK, 0);
        if (!(topP > 0 && topP <= 1)) {
            throw bad("top_p", topP, "must be in (0, 1]");
        }
        nonNegative("kl_coef", klCoef);
        if (klTarget != null && (!(klTarget > 0) || Double.isInfinite(klTarget))) {
            throw bad("kl_target", klTarget, "must be a finite number > 0, or unset for a fixed kl_coef");
        }
        if (!(klHorizon > 0) || Double.isInfinite(klHorizon)) {
            throw bad("kl_horizon", klHorizon, "must be a finite number > 0");
        }
        unit("gamma", gamma);
        unit("lam", lam);
        positive("cliprange", cliprange);
        positive("cliprange_value", cliprangeValue);
        nonNegative("vf_coef", vfCoef);
        if (missingEosPenalty != null) {
            nonNegative("missing_eos_penalty", missingEosPenalty);
        }
        if (numIterations != null) {
            atLeast("num_iterations", numIterations, 1);
        }
        if (totalEpisodes != null) {
            atLeast("total_episodes", totalEpisodes, 1);
        }
        atLeast("sample_n", sampleN, 0);
    }

    /** Every default; policy, reward_model and prompts unset (the trainer requires them). */
    public static PpoConfig defaults() {
        return new PpoConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Every default for the three required paths. */
    public static PpoConfig of(String policy, String rewardModel, String prompts) {
        return new PpoConfig(policy, rewardModel, prompts, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Iterations of the run over {@code promptCount} prompts: num_iterations, else total_episodes /
     * rollout_batch_size, else {@code maxSteps} when > 0, else num_train_epochs passes.
     */
    public long iterations(int promptCount, long maxSteps, double numTrainEpochs) {
        if (numIterations != null) {
            return numIterations;
        }
        return OnPolicyLoop.runLength(totalEpisodes, rolloutBatchSize, promptCount, maxSteps, numTrainEpochs);
    }

    /** Mini-batches per PPO epoch. */
    public int miniBatches() {
        return (rolloutBatchSize + miniBatchSize - 1) / miniBatchSize;
    }

    /** Checks that the three input paths are set (they may come from flags, so not in the constructor). */
    public void requirePaths() {
        if (policy == null || policy.isBlank()) {
            throw bad("policy", policy, "is required: the SFT model folder the policy starts from (--policy)");
        }
        if (rewardModel == null || rewardModel.isBlank()) {
            throw bad("reward_model", rewardModel, "is required: a reward model folder (--reward)");
        }
        if (prompts == null || prompts.isBlank()) {
            throw bad("prompts", prompts, "is required: a prompts file (--prompts)");
        }
    }

    private static void atLeast(String field, long v, long min) {
        if (v < min) {
            throw bad(field, v, "must be >= " + min);
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

    private static void unit(String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw bad(field, v, "must be in [0, 1]");
        }
    }

    private static UserInputException bad(String field, Object value, String what) {
        return new UserInputException(field + ": " + what + ", got " + value);
    }

    /**
     * A builder with every key unset (the Java API): {@code build()} gives each unset key the default
     * documented above and runs the same checks as a config file.
     */
    public static PpoConfigBuilder builder() {
        return new PpoConfigBuilder();
    }

    /** A builder holding this config's values, to change a few keys. */
    public PpoConfigBuilder toBuilder() {
        return new PpoConfigBuilder(this);
    }
}
