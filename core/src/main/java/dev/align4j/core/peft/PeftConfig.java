package dev.align4j.core.peft;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.align4j.core.UserInputException;

import java.util.List;

/**
 * How a run chooses and adapts its trainable parameters. Serialised with snake_case keys; a missing
 * key takes the default listed here. Checks that need the model (does a pattern match a layer, are
 * there enough blocks) happen in {@link Peft#apply}.
 *
 * @param method which parameters train (default {@code lora})
 * @param loraR rank r of the update B A (default 8, alpaca-lora and the LoRA paper's GPT-3 runs)
 * @param loraAlpha alpha; the update is scaled by alpha / r so that changing r does not require
 *     re-tuning the learning rate (Hu et al. 2021, section 4.1). Default 16
 * @param loraDropout dropout on the adapter's input while training (default 0.05, alpaca-lora)
 * @param loraTargetModules linear layers that get adapters: a pattern matches a layer whose dotted
 *     name equals it or ends with "." + pattern ({@code q_proj}, {@code attn.o_proj},
 *     {@code blocks.1.mlp.up_proj}); {@code all-linear} means every linear layer except the LM head,
 *     as in Hugging Face PEFT. Default {@code [q_proj, v_proj]} (alpaca-lora)
 * @param freezeTrainableLayers FREEZE: the last N blocks train, plus the final norm and the untied
 *     LM head when N > 0 (default 2, LLaMA-Factory's default)
 * @param freezeTrainableModules FREEZE: modules (same pattern rule) whose parameters also train
 *     (default none)
 * @param quantBlockSize QLoRA: weights per NF4 absmax block (default 64, Dettmers et al. 2023)
 * @param doubleQuant QLoRA: quantize the fp32 block scales to 8 bits in blocks of 256, saving
 *     0.373 bits per parameter (Dettmers et al. 2023, section 3). Default true
 */
public record PeftConfig(
        @JsonProperty("method") PeftMethod method,
        @JsonProperty("lora_r") Integer loraR,
        @JsonProperty("lora_alpha") Double loraAlpha,
        @JsonProperty("lora_dropout") Double loraDropout,
        @JsonProperty("lora_target_modules") List<String> loraTargetModules,
        @JsonProperty("freeze_trainable_layers") Integer freezeTrainableLayers,
        @JsonProperty("freeze_trainable_modules") List<String> freezeTrainableModules,
        @JsonProperty("quant_block_size") Integer quantBlockSize,
        @JsonProperty("double_quant") Boolean doubleQuant) {

    /** The pattern that selects every linear layer but the LM head. */
    public static final String ALL_LINEAR = "all-linear";

    public PeftConfig {
        method = method == null ? PeftMethod.LORA : method;
        loraR = loraR == null ? 8 : loraR;
        loraAlpha = loraAlpha == null ? 16.0 : loraAlpha;
        loraDropout = loraDropout == null ? 0.05 : loraDropout;
        loraTargetModules = loraTargetModules == null
                ? List.of("q_proj", "v_proj") : patterns("lora_target_modules", loraTargetModules);
        freezeTrainableLayers = freezeTrainableLayers == null ? 2 : freezeTrainableLayers;
        freezeTrainableModules = freezeTrainableModules == null
                ? List.of() : patterns("freeze_trainable_modules", freezeTrainableModules);
        quantBlockSize = quantBlockSize == null ? 64 : quantBlockSize;
        doubleQuant = doubleQuant == null ? Boolean.TRUE : doubleQuant;

        if (loraR <= 0) {
            throw bad("lora_r", "must be > 0, got " + loraR);
        }
        if (!(loraAlpha > 0) || loraAlpha.isInfinite()) {
            throw bad("lora_alpha", "must be a positive number, got " + loraAlpha);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw bad("lora_dropout", "must be in [0, 1), got " + loraDropout);
        }
        boolean lora = method == PeftMethod.LORA || method == PeftMethod.QLORA;
        if (lora && loraTargetModules.isEmpty()) {
            throw bad("lora_target_modules", "must name at least one layer for " + method.configName());
        }
        if (freezeTrainableLayers < 0) {
            throw bad("freeze_trainable_layers", "must be >= 0, got " + freezeTrainableLayers);
        }
        if (method == PeftMethod.FREEZE && freezeTrainableLayers == 0
                && freezeTrainableModules.isEmpty()) {
            throw bad("freeze_trainable_layers",
                    "is 0 and freeze_trainable_modules is empty: nothing would train");
        }
        // two 4-bit codes share a byte, so a block must hold an even number of weights
        if (quantBlockSize <= 0 || quantBlockSize % 2 != 0) {
            throw bad("quant_block_size", "must be a positive even number, got " + quantBlockSize);
        }
    }

    /** The defaults for {@code method}. */
    public static PeftConfig of(PeftMethod method) {
        return new PeftConfig(method, null, null, null, null, null, null, null, null);
    }

    /** LoRA or QLoRA with rank r, alpha and target patterns, no dropout (handy in code and tests). */
    public static PeftConfig lora(PeftMethod method, int r, double alpha, List<String> targets) {
        return new PeftConfig(method, r, alpha, 0.0, targets, null, null, null, null);
    }

    /** FREEZE with the last {@code layers} blocks and the named modules trainable. */
    public static PeftConfig freeze(int layers, List<String> modules) {
        return new PeftConfig(PeftMethod.FREEZE, null, null, null, null, layers, modules, null, null);
    }

    /** A copy with another dropout. */
    public PeftConfig withLoraDropout(double dropout) {
        return new PeftConfig(method, loraR, loraAlpha, dropout, loraTargetModules,
                freezeTrainableLayers, freezeTrainableModules, quantBlockSize, doubleQuant);
    }

    /** alpha / r, the factor on B A. */
    public double loraScaling() {
        return loraAlpha / loraR;
    }

    /** Whether {@code pattern} selects the module called {@code dottedName}. */
    public static boolean matches(String pattern, String dottedName) {
        return dottedName.equals(pattern) || dottedName.endsWith("." + pattern);
    }

    /** An immutable copy of {@code patterns}, each checked to be a usable dotted name. */
    private static List<String> patterns(String field, List<String> patterns) {
        for (String p : patterns) {
            if (p == null || p.isBlank() || p.startsWith(".") || p.endsWith(".")) {
                throw bad(field, "invalid module pattern '" + p + "'");
            }
        }
        return List.copyOf(patterns);
    }

    private static UserInputException bad(String field, String what) {
        return UserInputException.at(null, 0, field, what);
    }

    /**
     * A builder with every key unset (the Java API): {@code build()} gives each unset key the default
     * documented above and runs the same checks as a config file.
     */
    public static PeftConfigBuilder builder() {
        return new PeftConfigBuilder();
    }

    /** A builder holding this config's values, to change a few keys. */
    public PeftConfigBuilder toBuilder() {
        return new PeftConfigBuilder(this);
    }
}
