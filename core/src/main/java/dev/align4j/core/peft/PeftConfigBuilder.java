package dev.align4j.core.peft;

import java.util.List;

/**
 * Collects {@link PeftConfig} keys for use from Java code; a key left unset (null) takes the default
 * documented on {@link PeftConfig}, and {@link #build()} runs the record's checks (a bad value throws
 * {@code UserInputException} naming the key). Get one from {@link PeftConfig#builder()}.
 */
public final class PeftConfigBuilder {
    private PeftMethod method;
    private Integer loraR;
    private Double loraAlpha;
    private Double loraDropout;
    private List<String> loraTargetModules;
    private Integer freezeTrainableLayers;
    private List<String> freezeTrainableModules;
    private Integer quantBlockSize;
    private Boolean doubleQuant;

    PeftConfigBuilder() {
    }

    /** A builder holding every value of {@code c}. */
    PeftConfigBuilder(PeftConfig c) {
        method = c.method();
        loraR = c.loraR();
        loraAlpha = c.loraAlpha();
        loraDropout = c.loraDropout();
        loraTargetModules = c.loraTargetModules();
        freezeTrainableLayers = c.freezeTrainableLayers();
        freezeTrainableModules = c.freezeTrainableModules();
        quantBlockSize = c.quantBlockSize();
        doubleQuant = c.doubleQuant();
    }

    /** {@code method}; see {@link PeftConfig}. */
    public PeftConfigBuilder method(PeftMethod v) {
        method = v;
        return this;
    }

    /** {@code lora_r}; see {@link PeftConfig}. */
    public PeftConfigBuilder loraR(Integer v) {
        loraR = v;
        return this;
    }

    /** {@code lora_alpha}; see {@link PeftConfig}. */
    public PeftConfigBuilder loraAlpha(Double v) {
        loraAlpha = v;
        return this;
    }

    /** {@code lora_dropout}; see {@link PeftConfig}. */
    public PeftConfigBuilder loraDropout(Double v) {
        loraDropout = v;
        return this;
    }

    /** {@code lora_target_modules}; see {@link PeftConfig}. */
    public PeftConfigBuilder loraTargetModules(List<String> v) {
        loraTargetModules = v;
        return this;
    }

    /** {@code freeze_trainable_layers}; see {@link PeftConfig}. */
    public PeftConfigBuilder freezeTrainableLayers(Integer v) {
        freezeTrainableLayers = v;
        return this;
    }

    /** {@code freeze_trainable_modules}; see {@link PeftConfig}. */
    public PeftConfigBuilder freezeTrainableModules(List<String> v) {
        freezeTrainableModules = v;
        return this;
    }

    /** {@code quant_block_size}; see {@link PeftConfig}. */
    public PeftConfigBuilder quantBlockSize(Integer v) {
        quantBlockSize = v;
        return this;
    }

    /** {@code double_quant}; see {@link PeftConfig}. */
    public PeftConfigBuilder doubleQuant(Boolean v) {
        doubleQuant = v;
        return this;
    }

    /** The config; checks every value (see {@link PeftConfig}). */
    public PeftConfig build() {
        return new PeftConfig(method, loraR, loraAlpha, loraDropout, loraTargetModules, freezeTrainableLayers, freezeTrainableModules, quantBlockSize, doubleQuant);
    }
}
