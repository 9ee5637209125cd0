package dev.align4j.ppo;

import java.util.List;

/**
 * Collects {@link PpoConfig} keys for use from Java code; a key left unset (null) takes the default
 * documented on {@link PpoConfig}, and {@link #build()} runs the record's checks (a bad value throws
 * {@code UserInputException} naming the key). Get one from {@link PpoConfig#builder()}.
 */
public final class PpoConfigBuilder {
    private String policy;
    private String rewardModel;
    private String prompts;
    private String template;
    private Integer rolloutBatchSize;
    private Integer miniBatchSize;
    private Integer ppoEpochs;
    private Integer maxNewTokens;
    private Double temperature;
    private Integer topK;
    private Double topP;
    private Double klCoef;
    private Double klTarget;
    private Double klHorizon;
    private Double gamma;
    private Double lam;
    private Double cliprange;
    private Double cliprangeValue;
    private Double vfCoef;
    private Boolean whitenRewards;
    private Boolean normalizeReward;
    private Double missingEosPenalty;
    private Integer numIterations;
    private Long totalEpisodes;
    private Boolean disableDropout;
    private String samplePrompts;
    private Integer sampleN;
    private List<String> rewardFuncs;
    private List<Double> rewardWeights;

    PpoConfigBuilder() {
    }

    /** A builder holding every value of {@code c}. */
    PpoConfigBuilder(PpoConfig c) {
        policy = c.policy();
        rewardModel = c.rewardModel();
        prompts = c.prompts();
        template = c.template();
        rolloutBatchSize = c.rolloutBatchSize();
        miniBatchSize = c.miniBatchSize();
        ppoEpochs = c.ppoEpochs();
        maxNewTokens = c.maxNewTokens();
        temperature = c.temperature();
        topK = c.topK();
        topP = c.topP();
        klCoef = c.klCoef();
        klTarget = c.klTarget();
        klHorizon = c.klHorizon();
        gamma = c.gamma();
        lam = c.lam();
        cliprange = c.cliprange();
        cliprangeValue = c.cliprangeValue();
        vfCoef = c.vfCoef();
        whitenRewards = c.whitenRewards();
        normalizeReward = c.normalizeReward();
        missingEosPenalty = c.missingEosPenalty();
        numIterations = c.numIterations();
        totalEpisodes = c.totalEpisodes();
        disableDropout = c.disableDropout();
        samplePrompts = c.samplePrompts();
        sampleN = c.sampleN();
        rewardFuncs = c.rewardFuncs();
        rewardWeights = c.rewardWeights();
    }

    /** {@code policy}; see {@link PpoConfig}. */
    public PpoConfigBuilder policy(String v) {
        policy = v;
        return this;
    }

    /** {@code reward_model}; see {@link PpoConfig}. */
    public PpoConfigBuilder rewardModel(String v) {
        rewardModel = v;
        return this;
    }

    /** {@code prompts}; see {@link PpoConfig}. */
    public PpoConfigBuilder prompts(String v) {
        prompts = v;
        return this;
    }

    /** {@code template}; see {@link PpoConfig}. */
    public PpoConfigBuilder template(String v) {
        template = v;
        return this;
    }

    /** {@code rollout_batch_size}; see {@link PpoConfig}. */
    public PpoConfigBuilder rolloutBatchSize(Integer v) {
        rolloutBatchSize = v;
        return this;
    }

    /** {@code mini_batch_size}; see {@link PpoConfig}. */
    public PpoConfigBuilder miniBatchSize(Integer v) {
        miniBatchSize = v;
        return this;
    }

    /** {@code ppo_epochs}; see {@link PpoConfig}. */
    public PpoConfigBuilder ppoEpochs(Integer v) {
        ppoEpochs = v;
        return this;
    }

    /** {@code max_new_tokens}; see {@link PpoConfig}. */
    public PpoConfigBuilder maxNewTokens(Integer v) {
        maxNewTokens = v;
        return this;
    }

    /** {@code temperature}; see {@link PpoConfig}. */
    public PpoConfigBuilder temperature(Double v) {
        temperature = v;
        return this;
    }

    /** {@code top_k}; see {@link PpoConfig}. */
    public PpoConfigBuilder topK(Integer v) {
        topK = v;
        return this;
    }

    /** {@code top_p}; see {@link PpoConfig}. */
    public PpoConfigBuilder topP(Double v) {
        topP = v;
        return this;
    }

    /** {@code kl_coef}; see {@link PpoConfig}. */
    public PpoConfigBuilder klCoef(Double v) {
        klCoef = v;
        return this;
    }

    /** {@code kl_target}; see {@link PpoConfig}. */
    public PpoConfigBuilder klTarget(Double v) {
        klTarget = v;
        return this;
    }

    /** {@code kl_horizon}; see {@link PpoConfig}. */
    public PpoConfigBuilder klHorizon(Double v) {
        klHorizon = v;
        return this;
    }

    /** {@code gamma}; see {@link PpoConfig}. */
    public PpoConfigBuilder gamma(Double v) {
        gamma = v;
        return this;
    }

    /** {@code lam}; see {@link PpoConfig}. */
    public PpoConfigBuilder lam(Double v) {
        lam = v;
        return this;
    }

    /** {@code cliprange}; see {@link PpoConfig}. */
    public PpoConfigBuilder cliprange(Double v) {
        cliprange = v;
        return this;
    }

    /** {@code cliprange_value}; see {@link PpoConfig}. */
    public PpoConfigBuilder cliprangeValue(Double v) {
        cliprangeValue = v;
        return this;
    }

    /** {@code vf_coef}; see {@link PpoConfig}. */
    public PpoConfigBuilder vfCoef(Double v) {
        vfCoef = v;
        return this;
    }

    /** {@code whiten_rewards}; see {@link PpoConfig}. */
    public PpoConfigBuilder whitenRewards(Boolean v) {
        whitenRewards = v;
        return this;
    }

    /** {@code normalize_reward}; see {@link PpoConfig}. */
    public PpoConfigBuilder normalizeReward(Boolean v) {
        normalizeReward = v;
        return this;
    }

    /** {@code missing_eos_penalty}; see {@link PpoConfig}. */
    public PpoConfigBuilder missingEosPenalty(Double v) {
        missingEosPenalty = v;
        return this;
    }

    /** {@code num_iterations}; see {@link PpoConfig}. */
    public PpoConfigBuilder numIterations(Integer v) {
        numIterations = v;
        return this;
    }

    /** {@code total_episodes}; see {@link PpoConfig}. */
    public PpoConfigBuilder totalEpisodes(Long v) {
        totalEpisodes = v;
        return this;
    }

    /** {@code disable_dropout}; see {@link PpoConfig}. */
    public PpoConfigBuilder disableDropout(Boolean v) {
        disableDropout = v;
        return this;
    }

    /** {@code sample_prompts}; see {@link PpoConfig}. */
    public PpoConfigBuilder samplePrompts(String v) {
        samplePrompts = v;
        return this;
    }

    /** {@code sample_n}; see {@link PpoConfig}. */
    public PpoConfigBuilder sampleN(Integer v) {
        sampleN = v;
        return this;
    }

    /** {@code reward_funcs}; see {@link PpoConfig}. */
    public PpoConfigBuilder rewardFuncs(List<String> v) {
        rewardFuncs = v;
        return this;
    }

    /** {@code reward_weights}; see {@link PpoConfig}. */
    public PpoConfigBuilder rewardWeights(List<Double> v) {
        rewardWeights = v;
        return this;
    }

    /** The config; checks every value (see {@link PpoConfig}). */
    public PpoConfig build() {
        return new PpoConfig(policy, rewardModel, prompts, template, rolloutBatchSize, miniBatchSize, ppoEpochs, maxNewTokens, temperature, topK, topP, klCoef, klTarget, klHorizon, gamma, lam, cliprange, cliprangeValue, vfCoef, whitenRewards, normalizeReward, missingEosPenalty, numIterations, totalEpisodes, disableDropout, samplePrompts, sampleN, rewardFuncs, rewardWeights);
    }
}
