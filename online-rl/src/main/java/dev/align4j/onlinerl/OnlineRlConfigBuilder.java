package dev.align4j.onlinerl;

import java.util.List;

/** Collects {@link OnlineRlConfig} keys; unset ones take their defaults. */
public final class OnlineRlConfigBuilder {
    private String algorithm;
    private String policy;
    private String prompts;
    private String template;
    private List<String> rewardFuncs;
    private List<Double> rewardWeights;
    private Integer rolloutBatchSize;
    private Integer numGenerations;
    private Integer miniBatchSize;
    private Integer numIterations;
    private Integer maxNewTokens;
    private Double temperature;
    private Integer topK;
    private Double topP;
    private Double epsilon;
    private Double epsilonHigh;
    private Double beta;
    private String lossType;
    private String scaleRewards;
    private Boolean normalizeAdvantages;
    private Boolean maskTruncatedCompletions;
    private Double missingEosPenalty;
    private Long totalEpisodes;
    private Boolean disableDropout;
    private String samplePrompts;
    private Integer sampleN;

    OnlineRlConfigBuilder() {
    }

    /** {@code algorithm}. */
    public OnlineRlConfigBuilder algorithm(String v) {
        algorithm = v;
        return this;
    }

    /** {@code policy}. */
    public OnlineRlConfigBuilder policy(String v) {
        policy = v;
        return this;
    }

    /** {@code prompts}. */
    public OnlineRlConfigBuilder prompts(String v) {
        prompts = v;
        return this;
    }

    /** {@code template}. */
    public OnlineRlConfigBuilder template(String v) {
        template = v;
        return this;
    }

    /** {@code reward_funcs}. */
    public OnlineRlConfigBuilder rewardFuncs(List<String> v) {
        rewardFuncs = v;
        return this;
    }

    /** {@code reward_weights}. */
    public OnlineRlConfigBuilder rewardWeights(List<Double> v) {
        rewardWeights = v;
        return this;
    }

    /** {@code rollout_batch_size}. */
    public OnlineRlConfigBuilder rolloutBatchSize(Integer v) {
        rolloutBatchSize = v;
        return this;
    }

    /** {@code num_generations}. */
    public OnlineRlConfigBuilder numGenerations(Integer v) {
        numGenerations = v;
        return this;
    }

    /** {@code mini_batch_size}. */
    public OnlineRlConfigBuilder miniBatchSize(Integer v) {
        miniBatchSize = v;
        return this;
    }

    /** {@code num_iterations}. */
    public OnlineRlConfigBuilder numIterations(Integer v) {
        numIterations = v;
        return this;
    }

    /** {@code max_new_tokens}. */
    public OnlineRlConfigBuilder maxNewTokens(Integer v) {
        maxNewTokens = v;
        return this;
    }

    /** {@code temperature}. */
    public OnlineRlConfigBuilder temperature(Double v) {
        temperature = v;
        return this;
    }

    /** {@code top_k}. */
    public OnlineRlConfigBuilder topK(Integer v) {
        topK = v;
        return this;
    }

    /** {@code top_p}. */
    public OnlineRlConfigBuilder topP(Double v) {
        topP = v;
        return this;
    }

    /** {@code epsilon}. */
    public OnlineRlConfigBuilder epsilon(Double v) {
        epsilon = v;
        return this;
    }

    /** {@code epsilon_high}. */
    public OnlineRlConfigBuilder epsilonHigh(Double v) {
        epsilonHigh = v;
        return this;
    }

    /** {@code beta}. */
    public OnlineRlConfigBuilder beta(Double v) {
        beta = v;
        return this;
    }

    /** {@code loss_type}. */
    public OnlineRlConfigBuilder lossType(String v) {
        lossType = v;
        return this;
    }

    /** {@code scale_rewards}. */
    public OnlineRlConfigBuilder scaleRewards(String v) {
        scaleRewards = v;
        return this;
    }

    /** {@code normalize_advantages}. */
    public OnlineRlConfigBuilder normalizeAdvantages(Boolean v) {
        normalizeAdvantages = v;
        return this;
    }

    /** {@code mask_truncated_completions}. */
    public OnlineRlConfigBuilder maskTruncatedCompletions(Boolean v) {
        maskTruncatedCompletions = v;
        return this;
    }

    /** {@code missing_eos_penalty}. */
    public OnlineRlConfigBuilder missingEosPenalty(Double v) {
        missingEosPenalty = v;
        return this;
    }

    /** {@code total_episodes}. */
    public OnlineRlConfigBuilder totalEpisodes(Long v) {
        totalEpisodes = v;
        return this;
    }

    /** {@code disable_dropout}. */
    public OnlineRlConfigBuilder disableDropout(Boolean v) {
        disableDropout = v;
        return this;
    }

    /** {@code sample_prompts}. */
    public OnlineRlConfigBuilder samplePrompts(String v) {
        samplePrompts = v;
        return this;
    }

    /** {@code sample_n}. */
    public OnlineRlConfigBuilder sampleN(Integer v) {
        sampleN = v;
        return this;
    }

    public OnlineRlConfig build() {
        return new OnlineRlConfig(algorithm, policy, prompts, template, rewardFuncs, rewardWeights,
                rolloutBatchSize, numGenerations, miniBatchSize, numIterations, maxNewTokens, temperature, topK,
                topP, epsilon, epsilonHigh, beta, lossType, scaleRewards, normalizeAdvantages,
                maskTruncatedCompletions, missingEosPenalty, totalEpisodes, disableDropout, samplePrompts,
                sampleN);
    }
}
