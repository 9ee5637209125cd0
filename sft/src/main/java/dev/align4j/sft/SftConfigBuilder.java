package dev.align4j.sft;

import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.tokenize.TruncationSide;

import java.util.List;
import java.util.Map;

/**
 * Collects {@link SftConfig} keys for use from Java code; a key left unset (null) takes the default
 * documented on {@link SftConfig}, and {@link #build()} runs the record's checks (a bad value throws
 * {@code UserInputException} naming the key). Get one from {@link SftConfig#builder()}.
 */
public final class SftConfigBuilder {
    private String model;
    private String modelConfig;
    private String tokenizer;
    private List<String> data;
    private List<Double> dataWeights;
    private DataFormat format;
    private String template;
    private Map<String, String> map;
    private Integer cutoffLen;
    private TruncationSide truncationSide;
    private Boolean trainOnInputs;
    private Double valSetSize;
    private Boolean groupByLength;
    private Boolean packing;
    private Boolean skipInvalid;
    private Integer numSamples;
    private Integer sampleMaxNewTokens;
    private Double sampleTemperature;
    private Integer samplePromptWords;

    SftConfigBuilder() {
    }

    /** A builder holding every value of {@code c}. */
    SftConfigBuilder(SftConfig c) {
        model = c.model();
        modelConfig = c.modelConfig();
        tokenizer = c.tokenizer();
        data = c.data();
        dataWeights = c.dataWeights();
        format = c.format();
        template = c.template();
        map = c.map();
        cutoffLen = c.cutoffLen();
        truncationSide = c.truncationSide();
        trainOnInputs = c.trainOnInputs();
        valSetSize = c.valSetSize();
        groupByLength = c.groupByLength();
        packing = c.packing();
        skipInvalid = c.skipInvalid();
        numSamples = c.numSamples();
        sampleMaxNewTokens = c.sampleMaxNewTokens();
        sampleTemperature = c.sampleTemperature();
        samplePromptWords = c.samplePromptWords();
    }

    /** {@code model}; see {@link SftConfig}. */
    public SftConfigBuilder model(String v) {
        model = v;
        return this;
    }

    /** {@code model_config}; see {@link SftConfig}. */
    public SftConfigBuilder modelConfig(String v) {
        modelConfig = v;
        return this;
    }

    /** {@code tokenizer}; see {@link SftConfig}. */
    public SftConfigBuilder tokenizer(String v) {
        tokenizer = v;
        return this;
    }

    /** {@code data}; see {@link SftConfig}. */
    public SftConfigBuilder data(List<String> v) {
        data = v;
        return this;
    }

    /** {@code data_weights}; see {@link SftConfig}. */
    public SftConfigBuilder dataWeights(List<Double> v) {
        dataWeights = v;
        return this;
    }

    /** {@code format}; see {@link SftConfig}. */
    public SftConfigBuilder format(DataFormat v) {
        format = v;
        return this;
    }

    /** {@code template}; see {@link SftConfig}. */
    public SftConfigBuilder template(String v) {
        template = v;
        return this;
    }

    /** {@code map}; see {@link SftConfig}. */
    public SftConfigBuilder map(Map<String, String> v) {
        map = v;
        return this;
    }

    /** {@code cutoff_len}; see {@link SftConfig}. */
    public SftConfigBuilder cutoffLen(Integer v) {
        cutoffLen = v;
        return this;
    }

    /** {@code truncation_side}; see {@link SftConfig}. */
    public SftConfigBuilder truncationSide(TruncationSide v) {
        truncationSide = v;
        return this;
    }

    /** {@code train_on_inputs}; see {@link SftConfig}. */
    public SftConfigBuilder trainOnInputs(Boolean v) {
        trainOnInputs = v;
        return this;
    }

    /** {@code val_set_size}; see {@link SftConfig}. */
    public SftConfigBuilder valSetSize(Double v) {
        valSetSize = v;
        return this;
    }

    /** {@code group_by_length}; see {@link SftConfig}. */
    public SftConfigBuilder groupByLength(Boolean v) {
        groupByLength = v;
        return this;
    }

    /** {@code packing}; see {@link SftConfig}. */
    public SftConfigBuilder packing(Boolean v) {
        packing = v;
        return this;
    }

    /** {@code skip_invalid}; see {@link SftConfig}. */
    public SftConfigBuilder skipInvalid(Boolean v) {
        skipInvalid = v;
        return this;
    }

    /** {@code num_samples}; see {@link SftConfig}. */
    public SftConfigBuilder numSamples(Integer v) {
        numSamples = v;
        return this;
    }

    /** {@code sample_max_new_tokens}; see {@link SftConfig}. */
    public SftConfigBuilder sampleMaxNewTokens(Integer v) {
        sampleMaxNewTokens = v;
        return this;
    }

    /** {@code sample_temperature}; see {@link SftConfig}. */
    public SftConfigBuilder sampleTemperature(Double v) {
        sampleTemperature = v;
        return this;
    }

    /** {@code sample_prompt_words}; see {@link SftConfig}. */
    public SftConfigBuilder samplePromptWords(Integer v) {
        samplePromptWords = v;
        return this;
    }

    /** The config; checks every value (see {@link SftConfig}). */
    public SftConfig build() {
        return new SftConfig(model, modelConfig, tokenizer, data, dataWeights, format, template, map, cutoffLen, truncationSide, trainOnInputs, valSetSize, groupByLength, packing, skipInvalid, numSamples, sampleMaxNewTokens, sampleTemperature, samplePromptWords);
    }
}
