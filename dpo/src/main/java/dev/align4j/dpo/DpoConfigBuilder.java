package dev.align4j.dpo;

import java.util.List;

/**
 * Collects {@link DpoConfig} keys for use from Java code; a key left unset (null) takes the default
 * documented on {@link DpoConfig}, and {@link #build()} runs the record's checks (a bad value throws
 * {@code UserInputException} naming the key). Get one from {@link DpoConfig#builder()}.
 */
public final class DpoConfigBuilder {
    private String model;
    private String refModel;
    private String data;
    private String format;
    private String template;
    private List<String> map;
    private DpoLossType lossType;
    private Double beta;
    private Double labelSmoothing;
    private Double simpoGamma;
    private Double desirableWeight;
    private Double undesirableWeight;
    private Integer maxLength;
    private Integer maxPromptLength;
    private Double valSetSize;
    private Boolean precomputeRefLogProbs;
    private Boolean disableDropout;
    private Boolean skipInvalid;
    private String samplePrompts;
    private Integer sampleN;
    private Integer maxNewTokens;
    private Double temperature;
    private Double rpoAlpha;

    DpoConfigBuilder() {
    }

    /** A builder holding every value of {@code c}. */
    DpoConfigBuilder(DpoConfig c) {
        model = c.model();
        refModel = c.refModel();
        data = c.data();
        format = c.format();
        template = c.template();
        map = c.map();
        lossType = c.lossType();
        beta = c.beta();
        labelSmoothing = c.labelSmoothing();
        simpoGamma = c.simpoGamma();
        desirableWeight = c.desirableWeight();
        undesirableWeight = c.undesirableWeight();
        maxLength = c.maxLength();
        maxPromptLength = c.maxPromptLength();
        valSetSize = c.valSetSize();
        precomputeRefLogProbs = c.precomputeRefLogProbs();
        disableDropout = c.disableDropout();
        skipInvalid = c.skipInvalid();
        samplePrompts = c.samplePrompts();
        sampleN = c.sampleN();
        maxNewTokens = c.maxNewTokens();
        temperature = c.temperature();
        rpoAlpha = c.rpoAlpha();
    }

    /** {@code model}; see {@link DpoConfig}. */
    public DpoConfigBuilder model(String v) {
        model = v;
        return this;
    }

    /** {@code ref_model}; see {@link DpoConfig}. */
    public DpoConfigBuilder refModel(String v) {
        refModel = v;
        return this;
    }

    /** {@code data}; see {@link DpoConfig}. */
    public DpoConfigBuilder data(String v) {
        data = v;
        return this;
    }

    /** {@code format}; see {@link DpoConfig}. */
    public DpoConfigBuilder format(String v) {
        format = v;
        return this;
    }

    /** {@code template}; see {@link DpoConfig}. */
    public DpoConfigBuilder template(String v) {
        template = v;
        return this;
    }

    /** {@code map}; see {@link DpoConfig}. */
    public DpoConfigBuilder map(List<String> v) {
        map = v;
        return this;
    }

    /** {@code loss_type}; see {@link DpoConfig}. */
    public DpoConfigBuilder lossType(DpoLossType v) {
        lossType = v;
        return this;
    }

    /** {@code beta}; see {@link DpoConfig}. */
    public DpoConfigBuilder beta(Double v) {
        beta = v;
        return this;
    }

    /** {@code label_smoothing}; see {@link DpoConfig}. */
    public DpoConfigBuilder labelSmoothing(Double v) {
        labelSmoothing = v;
        return this;
    }

    /** {@code simpo_gamma}; see {@link DpoConfig}. */
    public DpoConfigBuilder simpoGamma(Double v) {
        simpoGamma = v;
        return this;
    }

    /** {@code desirable_weight}; see {@link DpoConfig}. */
    public DpoConfigBuilder desirableWeight(Double v) {
        desirableWeight = v;
        return this;
    }

    /** {@code undesirable_weight}; see {@link DpoConfig}. */
    public DpoConfigBuilder undesirableWeight(Double v) {
        undesirableWeight = v;
        return this;
    }

    /** {@code max_length}; see {@link DpoConfig}. */
    public DpoConfigBuilder maxLength(Integer v) {
        maxLength = v;
        return this;
    }

    /** {@code max_prompt_length}; see {@link DpoConfig}. */
    public DpoConfigBuilder maxPromptLength(Integer v) {
        maxPromptLength = v;
        return this;
    }

    /** {@code val_set_size}; see {@link DpoConfig}. */
    public DpoConfigBuilder valSetSize(Double v) {
        valSetSize = v;
        return this;
    }

    /** {@code precompute_ref_log_probs}; see {@link DpoConfig}. */
    public DpoConfigBuilder precomputeRefLogProbs(Boolean v) {
        precomputeRefLogProbs = v;
        return this;
    }

    /** {@code disable_dropout}; see {@link DpoConfig}. */
    public DpoConfigBuilder disableDropout(Boolean v) {
        disableDropout = v;
        return this;
    }

    /** {@code skip_invalid}; see {@link DpoConfig}. */
    public DpoConfigBuilder skipInvalid(Boolean v) {
        skipInvalid = v;
        return this;
    }

    /** {@code sample_prompts}; see {@link DpoConfig}. */
    public DpoConfigBuilder samplePrompts(String v) {
        samplePrompts = v;
        return this;
    }

    /** {@code sample_n}; see {@link DpoConfig}. */
    public DpoConfigBuilder sampleN(Integer v) {
        sampleN = v;
        return this;
    }

    /** {@code max_new_tokens}; see {@link DpoConfig}. */
    public DpoConfigBuilder maxNewTokens(Integer v) {
        maxNewTokens = v;
        return this;
    }

    /** {@code temperature}; see {@link DpoConfig}. */
    public DpoConfigBuilder temperature(Double v) {
        temperature = v;
        return this;
    }

    /** {@code rpo_alpha}; see {@link DpoConfig}. */
    public DpoConfigBuilder rpoAlpha(Double v) {
        rpoAlpha = v;
        return this;
    }

    /** The config; checks every value (see {@link DpoConfig}). */
    public DpoConfig build() {
        return new DpoConfig(model, refModel, data, format, template, map, lossType, beta, labelSmoothing, simpoGamma, desirableWeight, undesirableWeight, maxLength, maxPromptLength, valSetSize, precomputeRefLogProbs, disableDropout, skipInvalid, samplePrompts, sampleN, maxNewTokens, temperature, rpoAlpha);
    }
}
