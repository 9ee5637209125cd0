package dev.align4j.dpo;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.align4j.core.UserInputException;
import dev.align4j.datasets.format.DataFormat;

import java.util.List;
import java.util.Locale;

/**
 * The DPO-specific part of a run's flat config (the rest is {@code TrainingArgs} and
 * {@code PeftConfig}). Keys are snake_case; a missing key takes the default listed here, TRL's
 * {@code DPOConfig} default where one exists. Cross-field checks name the bad value.
 *
 * @param model the policy's starting point, a model folder (usually the SFT output's {@code model/})
 * @param refModel the frozen reference; default: the same folder as {@code model} (TRL: a copy of
 *     the policy). With a LoRA/QLoRA policy the reference is always the policy with its adapters
 *     switched off, so a different ref_model is an error there
 * @param data preference pairs (formats preference, hh_rlhf) or, for {@code loss_type: kto}, unpaired
 *     completions (format kto)
 * @param format data layout; default: detected from the first record
 * @param template chat template name or file; default: the model folder's own
 * @param map column renames {@code canonical=actual}, as {@code --map}
 * @param lossType which preference loss (TRL {@code loss_type}, default sigmoid)
 * @param beta strength of the KL regularisation toward the reference (TRL 0.1); for SimPO the reward
 *     scale (paper: 2.0-2.5), for ORPO the odds-ratio weight lambda (TRL ORPOConfig 0.1)
 * @param labelSmoothing label-flip rate eps for cDPO (sigmoid) and robust (TRL 0.0)
 * @param simpoGamma SimPO target margin gamma (TRL CPOConfig simpo_gamma 0.5)
 * @param desirableWeight KTO lambda_D (TRL KTOConfig 1.0)
 * @param undesirableWeight KTO lambda_U (TRL KTOConfig 1.0)
 * @param maxLength longest prompt + reply in tokens; default: the model's context_length (TRL 1024)
 * @param maxPromptLength longest prompt once cutting is needed; default: half of max_length (TRL 512)
 * @param valSetSize validation pairs held out: a fraction when < 1, a count when >= 1 (default 0)
 * @param precomputeRefLogProbs score the reference once before training and cache it (default true;
 *     TRL false); false keeps the reference in memory and scores it every step
 * @param disableDropout run the policy without dropout (model and LoRA), so that at step 0 it
 *     computes exactly the reference's log-probs (TRL disable_dropout, default true)
 * @param skipInvalid skip records that do not parse instead of stopping (default false)
 * @param samplePrompts prompts file for {@code samples.jsonl}; default: the validation pairs'
 *     prompts, or the training pairs' when there is no validation split
 * @param sampleN how many prompts to sample for {@code samples.jsonl} (default 16; 0 writes none)
 * @param maxNewTokens tokens per sample (default 24, the sentiment task's completion length)
 * @param temperature sampling temperature for samples (default 1.0; 0 is greedy)
 * @param rpoAlpha weight of an NLL term on the chosen replies (mean token cross-entropy) added to
 *     the preference loss (TRL {@code rpo_alpha}, default none; the RPO paper uses 1.0): it keeps the
 *     chosen replies likely, so the policy cannot win the margin by moving mass to text neither reply
 *     had. Not for kto or orpo (orpo has its own NLL term)
 */
public record DpoConfig(
        @JsonProperty("model") String model,
        @JsonProperty("ref_model") String refModel,
        @JsonProperty("data") String data,
        @JsonProperty("format") String format,
        @JsonProperty("template") String template,
        @JsonProperty("map") List<String> map,
        @JsonProperty("loss_type") DpoLossType lossType,
        @JsonProperty("beta") Double beta,
        @JsonProperty("label_smoothing") Double labelSmoothing,
        @JsonProperty("simpo_gamma") Double simpoGamma,
        @JsonProperty("desirable_weight") Double desirableWeight,
        @JsonProperty("undesirable_weight") Double undesirableWeight,
        @JsonProperty("max_length") Integer maxLength,
        @JsonProperty("max_prompt_length") Integer maxPromptLength,
        @JsonProperty("val_set_size") Double valSetSize,
        @JsonProperty("precompute_ref_log_probs") Boolean precomputeRefLogProbs,
        @JsonProperty("disable_dropout") Boolean disableDropout,
        @JsonProperty("skip_invalid") Boolean skipInvalid,
        @JsonProperty("sample_prompts") String samplePrompts,
        @JsonProperty("sample_n") Integer sampleN,
        @JsonProperty("max_new_tokens") Integer maxNewTokens,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("rpo_alpha") Double rpoAlpha) {

    public DpoConfig {
        if (model == null || model.isBlank()) {
            throw bad("model", model, "is required: the policy's starting model folder (e.g. the SFT run's model/)");
        }
        if (data == null || data.isBlank()) {
            throw bad("data", data, "is required: a preference (or, for kto, unpaired) data file");
        }
        refModel = refModel == null || refModel.isBlank() ? model : refModel;
        if (format != null && DataFormat.parse(format).isEmpty()) {
            throw bad("format", format, "must be one of " + List.of(DataFormat.values()).toString().toLowerCase(Locale.ROOT));
        }
        map = map == null ? List.of() : List.copyOf(map);
        lossType = lossType == null ? DpoLossType.SIGMOID : lossType;
        beta = beta == null ? 0.1 : beta;
        labelSmoothing = labelSmoothing == null ? 0.0 : labelSmoothing;
        simpoGamma = simpoGamma == null ? 0.5 : simpoGamma;
        desirableWeight = desirableWeight == null ? 1.0 : desirableWeight;
        undesirableWeight = undesirableWeight == null ? 1.0 : undesirableWeight;
        valSetSize = valSetSize == null ? 0.0 : valSetSize;
        precomputeRefLogProbs = precomputeRefLogProbs == null ? Boolean.TRUE : precomputeRefLogProbs;
        disableDropout = disableDropout == null ? Boolean.TRUE : disableDropout;
        skipInvalid = skipInvalid == null ? Boolean.FALSE : skipInvalid;
        sampleN = sampleN == null ? 16 : sampleN;
        maxNewTokens = maxNewTokens == null ? 24 : maxNewTokens;
        temperature = temperature == null ? 1.0 : temperature;
        rpoAlpha = rpoAlpha == null ? 0.0 : rpoAlpha;

        positive("beta", beta);
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
            throw bad("label_smoothing", labelSmoothing, "must be in [0, 0.5)");
        }
        if (labelSmoothing > 0 && lossType != DpoLossType.SIGMOID && lossType != DpoLossType.ROBUST) {
            throw bad("label_smoothing", labelSmoothing, "only applies to loss_type sigmoid or robust, not "
                    + lossType.name().toLowerCase(Locale.ROOT));
        }
        if (!Double.isFinite(simpoGamma) || simpoGamma < 0) {
            throw bad("simpo_gamma", simpoGamma, "must be a finite number >= 0");
        }
        positive("desirable_weight", desirableWeight);
        positive("undesirable_weight", undesirableWeight);
        if (maxLength != null && maxLength < 2) {
            throw bad("max_length", maxLength, "must be >= 2");
        }
        if (maxPromptLength != null && (maxPromptLength < 1
                || (maxLength != null && maxPromptLength >= maxLength))) {
            throw bad("max_prompt_length", maxPromptLength, "must be in [1, max_length"
                    + (maxLength == null ? "" : " " + maxLength) + ")");
        }
        if (!(valSetSize >= 0) || Double.isInfinite(valSetSize) || (valSetSize >= 1 && valSetSize != Math.rint(valSetSize))) {
            throw bad("val_set_size", valSetSize, "must be a fraction in [0, 1) or a whole count >= 1");
        }
        if (sampleN < 0) {
            throw bad("sample_n", sampleN, "must be >= 0");
        }
        if (maxNewTokens < 1) {
            throw bad("max_new_tokens", maxNewTokens, "must be >= 1");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw bad("temperature", temperature, "must be a finite number >= 0");
        }
        if (!(rpoAlpha >= 0) || Double.isInfinite(rpoAlpha)) {
            throw bad("rpo_alpha", rpoAlpha, "must be a finite number >= 0");
        }
        if (rpoAlpha > 0 && (lossType == DpoLossType.KTO || lossType == DpoLossType.ORPO)) {
            throw bad("rpo_alpha", rpoAlpha, "does not apply to loss_type "
                    + lossType.name().toLowerCase(Locale.ROOT) + " (kto has no pairs; orpo has its own NLL term)");
        }
    }

    /** Every default, for {@code model} and {@code data}. */
    public static DpoConfig of(String model, String data) {
        return new DpoConfig(model, null, data, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    /** Hyper-parameters the loss functions read. */
    public DpoLoss.Params lossParams() {
        return new DpoLoss.Params(beta, labelSmoothing, simpoGamma);
    }

    /** The data format given, or null to detect it. */
    public DataFormat dataFormat() {
        return format == null ? null : DataFormat.parse(format).orElseThrow();
    }

    /** max_length, or {@code contextLength} when unset. */
    public int maxLengthOr(int contextLength) {
        return maxLength != null ? maxLength : contextLength;
    }

    /** max_prompt_length, or half of the effective max_length when unset. */
    public int maxPromptLengthOr(int contextLength) {
        return maxPromptLength != null ? maxPromptLength : Math.max(1, maxLengthOr(contextLength) / 2);
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw bad(field, v, "must be a finite number > 0");
        }
    }

    private static UserInputException bad(String field, Object value, String what) {
        return new UserInputException(field + ": " + what + ", got " + value);
    }
}
