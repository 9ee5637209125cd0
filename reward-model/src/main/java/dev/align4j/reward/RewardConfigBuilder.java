package dev.align4j.reward;

import dev.align4j.datasets.format.DataFormat;

import java.util.Map;

/**
 * Collects {@link RewardConfig} keys for use from Java code; a key left unset (null) takes the default
 * documented on {@link RewardConfig}, and {@link #build()} runs the record's checks (a bad value throws
 * {@code UserInputException} naming the key). Get one from {@link RewardConfig#builder()}.
 */
public final class RewardConfigBuilder {
    private String model;
    private String data;
    private DataFormat format;
    private String template;
    private Map<String, String> map;
    private Integer maxLength;
    private Integer maxPromptLength;
    private Double valSetSize;
    private Double centerRewardsCoefficient;
    private Boolean useMargin;
    private Boolean disableDropout;
    private Boolean skipInvalid;

    RewardConfigBuilder() {
    }

    /** A builder holding every value of {@code c}. */
    RewardConfigBuilder(RewardConfig c) {
        model = c.model();
        data = c.data();
        format = c.format();
        template = c.template();
        map = c.map();
        maxLength = c.maxLength();
        maxPromptLength = c.maxPromptLength();
        valSetSize = c.valSetSize();
        centerRewardsCoefficient = c.centerRewardsCoefficient();
        useMargin = c.useMargin();
        disableDropout = c.disableDropout();
        skipInvalid = c.skipInvalid();
    }

    /** {@code model}; see {@link RewardConfig}. */
    public RewardConfigBuilder model(String v) {
        model = v;
        return this;
    }

    /** {@code data}; see {@link RewardConfig}. */
    public RewardConfigBuilder data(String v) {
        data = v;
        return this;
    }

    /** {@code format}; see {@link RewardConfig}. */
    public RewardConfigBuilder format(DataFormat v) {
        format = v;
        return this;
    }

    /** {@code template}; see {@link RewardConfig}. */
    public RewardConfigBuilder template(String v) {
        template = v;
        return this;
    }

    /** {@code map}; see {@link RewardConfig}. */
    public RewardConfigBuilder map(Map<String, String> v) {
        map = v;
        return this;
    }

    /** {@code max_length}; see {@link RewardConfig}. */
    public RewardConfigBuilder maxLength(Integer v) {
        maxLength = v;
        return this;
    }

    /** {@code max_prompt_length}; see {@link RewardConfig}. */
    public RewardConfigBuilder maxPromptLength(Integer v) {
        maxPromptLength = v;
        return this;
    }

    /** {@code val_set_size}; see {@link RewardConfig}. */
    public RewardConfigBuilder valSetSize(Double v) {
        valSetSize = v;
        return this;
    }

    /** {@code center_rewards_coefficient}; see {@link RewardConfig}. */
    public RewardConfigBuilder centerRewardsCoefficient(Double v) {
        centerRewardsCoefficient = v;
        return this;
    }

    /** {@code use_margin}; see {@link RewardConfig}. */
    public RewardConfigBuilder useMargin(Boolean v) {
        useMargin = v;
        return this;
    }

    /** {@code disable_dropout}; see {@link RewardConfig}. */
    public RewardConfigBuilder disableDropout(Boolean v) {
        disableDropout = v;
        return this;
    }

    /** {@code skip_invalid}; see {@link RewardConfig}. */
    public RewardConfigBuilder skipInvalid(Boolean v) {
        skipInvalid = v;
        return this;
    }

    /** The config; checks every value (see {@link RewardConfig}). */
    public RewardConfig build() {
        return new RewardConfig(model, data, format, template, map, maxLength, maxPromptLength, valSetSize, centerRewardsCoefficient, useMargin, disableDropout, skipInvalid);
    }
}
