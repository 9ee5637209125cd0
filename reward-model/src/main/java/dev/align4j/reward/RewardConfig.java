package dev.align4j.reward;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.UserInputException;
import dev.align4j.datasets.format.ColumnMapping;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.split.SplitSpec;
import dev.align4j.datasets.tokenize.PreferenceEncoder;

import java.util.List;
import java.util.Map;

/**
 * What a reward-model run trains on and how; one flat YAML with {@code TrainingArgs} and
 * {@code PeftConfig} keys beside these (see {@link RewardSettings} for the defaults this method
 * changes there). A missing key takes the default listed here.
 *
 * @param model base model folder: an SFT model (the usual start, InstructGPT section 3.5) or any
 *     model folder, align4j or Hugging Face layout. Required
 * @param data preference data file (JSON or JSONL, optionally .gz). Required
 * @param format data layout ({@code preference}, {@code hh_rlhf}); null detects it from the first record
 * @param template chat template name or file; null uses the model folder's own
 * @param map field renames, canonical name to the file's field ({@code chosen: better})
 * @param maxLength longest prompt + response in tokens; longer pairs are cut (default 512; TRL 1024);
 *     at most the model's context_length
 * @param maxPromptLength longest prompt once cutting is needed (default max_length / 2)
 * @param valSetSize held-out pairs: a count when >= 1, a fraction when below 1, none when 0 (default 0)
 * @param centerRewardsCoefficient weight of the mean squared (r_c + r_r) term that keeps rewards
 *     centred near 0 (Eisenstein et al. 2023). Default 0: off, as TRL's default None; TRL's docs
 *     recommend 0.01 when rewards drift
 * @param useMargin subtract a record's {@code margin} inside the loss, -log sigmoid(r_c - r_r - m)
 *     (Llama 2, section 3.2.2), as TRL does whenever the data has a margin column (default true)
 * @param disableDropout run the backbone without dropout while training, as TRL's
 *     {@code disable_dropout} (default true): a regression target with dropout noise trains slower
 * @param skipInvalid skip and count bad records instead of stopping at the first (default false)
 */
public record RewardConfig(
        @JsonProperty("model") String model,
        @JsonProperty("data") String data,
        @JsonProperty("format") DataFormat format,
        @JsonProperty("template") String template,
        @JsonProperty("map") Map<String, String> map,
        @JsonProperty("max_length") Integer maxLength,
        @JsonProperty("max_prompt_length") Integer maxPromptLength,
        @JsonProperty("val_set_size") Double valSetSize,
        @JsonProperty("center_rewards_coefficient") Double centerRewardsCoefficient,
        @JsonProperty("use_margin") Boolean useMargin,
        @JsonProperty("disable_dropout") Boolean disableDropout,
        @JsonProperty("skip_invalid") Boolean skipInvalid) {

    public RewardConfig {
        if (model == null || model.isBlank()) {
            throw bad("model", "is required: the base model folder (--model)");
        }
        if (data == null || data.isBlank()) {
            throw bad("data", "is required: a preference data file (--data)");
        }
        if (format != null && format.kind() != DataFormat.Kind.PREFERENCE) {
            throw bad("format", "must be a pairwise preference format (preference, hh_rlhf), got "
                    + format.name().toLowerCase(java.util.Locale.ROOT));
        }
        map = map == null ? Map.of() : Map.copyOf(map);
        maxLength = maxLength == null ? 512 : maxLength;
        if (maxLength < 2) {
            throw bad("max_length", "must be >= 2, got " + maxLength);
        }
        maxPromptLength = maxPromptLength == null ? maxLength / 2 : maxPromptLength;
        if (maxPromptLength < 1 || maxPromptLength >= maxLength) {
            throw bad("max_prompt_length", "must be in [1, max_length " + maxLength + "), got " + maxPromptLength);
        }
        valSetSize = valSetSize == null ? 0.0 : valSetSize;
        if (!(valSetSize >= 0) || valSetSize.isInfinite() || (valSetSize >= 1 && valSetSize != Math.rint(valSetSize))) {
            throw bad("val_set_size", "must be a count (>= 1, whole) or a fraction in [0, 1), got " + valSetSize);
        }
        centerRewardsCoefficient = centerRewardsCoefficient == null ? 0.0 : centerRewardsCoefficient;
        if (!(centerRewardsCoefficient >= 0) || centerRewardsCoefficient.isInfinite()) {
            throw bad("center_rewards_coefficient", "must be a finite number >= 0, got " + centerRewardsCoefficient);
        }
        useMargin = useMargin == null ? Boolean.TRUE : useMargin;
        disableDropout = disableDropout == null ? Boolean.TRUE : disableDropout;
        skipInvalid = skipInvalid == null ? Boolean.FALSE : skipInvalid;
    }

    private static UserInputException bad(String field, String what) {
        return UserInputException.at(null, 0, field, what);
    }

    /** A config with the given model and data and every other key at its default. */
    public static RewardConfig of(String model, String data) {
        return new RewardConfig(model, data, null, null, null, null, null, null, null, null, null, null);
    }

    /** How the data file is read. */
    public LoadOptions loadOptions() {
        List<String> entries = map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return new LoadOptions(format, ColumnMapping.parse(entries), skipInvalid, false);
    }

    /** The validation split ({@code val_set_size} as a count or a fraction). */
    public SplitSpec splitSpec() {
        return valSetSize >= 1 ? SplitSpec.count((int) Math.rint(valSetSize), 0) : SplitSpec.ratio(valSetSize, 0);
    }

    public PreferenceEncoder.Config lengths() {
        return new PreferenceEncoder.Config(maxLength, maxPromptLength);
    }

    /**
     * A builder with every key unset (the Java API): {@code build()} gives each unset key the default
     * documented above and runs the same checks as a config file.
     */
    public static RewardConfigBuilder builder() {
        return new RewardConfigBuilder();
    }

    /** A builder holding this config's values, to change a few keys. */
    public RewardConfigBuilder toBuilder() {
        return new RewardConfigBuilder(this);
    }
}
