package dev.align4j.sft;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.align4j.core.UserInputException;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.tokenize.TruncationSide;


import java.util.List;
import java.util.Map;

/**
 * The SFT-specific part of a run's flat YAML (the rest is core's {@code TrainingArgs} and
 * {@code PeftConfig}). Keys are snake_case; a missing key takes the default below. Defaults follow
 * alpaca-lora ({@code tloen/alpaca-lora finetune.py}) where it has the setting.
 *
 * @param model model folder to fine-tune (align4j or Hugging Face layout); null trains a fresh
 *     model of shape {@code model_config} (default null)
 * @param modelConfig a fresh model's shape: a preset ({@code tiny}, {@code small},
 *     {@code tiny-llama}, {@code small-llama}) or a JSON/YAML file of ModelConfig fields; vocab_size
 *     is always the tokenizer's (default {@code tiny}). Ignored, with a warning, when {@code model}
 *     is given, so a from-scratch recipe can be pointed at a trained model
 * @param tokenizer a fresh model's tokenizer: {@code byte} (default), a tokenizer folder, or
 *     {@code bpe:<vocab>}: train a byte-level BPE of that size on the training split's rendered
 *     text first; it is saved with the model. Ignored when {@code model} is given (its own is used)
 * @param data data files (JSON, JSONL), one data set; required
 * @param dataWeights mixing weights, one per file: the files are mixed by {@code datasets}'
 *     Mixer to as many examples as they hold together; null concatenates them (default null)
 * @param format record layout of every file, or null to detect it from the first record
 * @param template chat template name or file; null: the fine-tuned model's own template, or the
 *     format's default for a fresh model (alpaca for alpaca records, chatml for chats, plain else)
 * @param map field renames, canonical name to the file's name ({@code {instruction: question}})
 * @param cutoffLen longest tokenized example kept, in tokens (alpaca-lora 256)
 * @param truncationSide which end of a too-long example is cut (default right)
 * @param trainOnInputs loss on prompt tokens too (alpaca-lora's default is true; align4j's is
 *     false: the loss is on replies only, as in TRL's completion-only training)
 * @param valSetSize validation examples held out: a count when >= 1, a fraction when below 1,
 *     0 for none (alpaca-lora 2000; default 0.05). Eval loss/perplexity and samples use them
 * @param groupByLength batch examples of similar length together (HF group_by_length, default false)
 * @param packing pack several examples into each row of cutoff_len tokens, attending only within
 *     an example (block-diagonal mask); default false
 * @param skipInvalid skip and count malformed records instead of stopping at the first (default false)
 * @param numSamples held-out prompts completed into {@code samples.jsonl} after training (default 8)
 * @param sampleMaxNewTokens tokens generated per sample (default 64)
 * @param sampleTemperature sampling temperature of the samples; 0 is greedy (default 0.7)
 * @param samplePromptWords records without a prompt (plain text): their first this many words
 *     form the sample prompt (default 3; the sentiment task's prompts are 2-4 words)
 */
public record SftConfig(
        @JsonProperty("model") String model,
        @JsonProperty("model_config") String modelConfig,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("data") List<String> data,
        @JsonProperty("data_weights") List<Double> dataWeights,
        @JsonProperty("format") DataFormat format,
        @JsonProperty("template") String template,
        @JsonProperty("map") Map<String, String> map,
        @JsonProperty("cutoff_len") Integer cutoffLen,
        @JsonProperty("truncation_side") TruncationSide truncationSide,
        @JsonProperty("train_on_inputs") Boolean trainOnInputs,
        @JsonProperty("val_set_size") Double valSetSize,
        @JsonProperty("group_by_length") Boolean groupByLength,
        @JsonProperty("packing") Boolean packing,
        @JsonProperty("skip_invalid") Boolean skipInvalid,
        @JsonProperty("num_samples") Integer numSamples,
        @JsonProperty("sample_max_new_tokens") Integer sampleMaxNewTokens,
        @JsonProperty("sample_temperature") Double sampleTemperature,
        @JsonProperty("sample_prompt_words") Integer samplePromptWords) {

    public SftConfig {
        if (data == null || data.isEmpty() || data.stream().anyMatch(d -> d == null || d.isBlank())) {
            throw bad("data", "must list at least one data file, got " + data);
        }
        data = List.copyOf(data);
        ModelSource source = ModelSource.resolve(model, modelConfig, tokenizer);
        model = source.model();
        modelConfig = source.modelConfig();
        tokenizer = source.tokenizer();
        if (dataWeights != null) {
            if (dataWeights.size() != data.size()) {
                throw bad("data_weights", dataWeights.size() + " weights for " + data.size() + " data files");
            }
            if (dataWeights.stream().anyMatch(w -> w == null || !(w >= 0) || w.isInfinite())
                    || dataWeights.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
                throw bad("data_weights", "must be finite numbers >= 0 with a positive sum, got " + dataWeights);
            }
            dataWeights = List.copyOf(dataWeights);
        }
        if (format != null && format.kind() != DataFormat.Kind.SFT) {
            throw bad("format", format.name().toLowerCase() + " holds " + format.kind().name().toLowerCase()
                    + " data, not SFT examples (alpaca, sharegpt, openai, completion, text)");
        }
        map = map == null ? Map.of() : Map.copyOf(map);
        cutoffLen = cutoffLen == null ? 256 : cutoffLen;
        if (cutoffLen < 2) {
            throw bad("cutoff_len", "must be >= 2, got " + cutoffLen);
        }
        truncationSide = truncationSide == null ? TruncationSide.RIGHT : truncationSide;
        trainOnInputs = trainOnInputs != null && trainOnInputs;
        valSetSize = valSetSize == null ? 0.05 : valSetSize;
        if (!(valSetSize >= 0) || valSetSize.isInfinite() || (valSetSize >= 1 && valSetSize % 1 != 0)) {
            throw bad("val_set_size", "must be a fraction in [0, 1) or a whole count, got " + valSetSize);
        }
        groupByLength = groupByLength != null && groupByLength;
        packing = packing != null && packing;
        if (packing && groupByLength) {
            throw bad("packing", "and group_by_length both set: packed rows are all cutoff_len long, "
                    + "so there is nothing to group");
        }
        skipInvalid = skipInvalid != null && skipInvalid;
        numSamples = numSamples == null ? 8 : numSamples;
        sampleMaxNewTokens = sampleMaxNewTokens == null ? 64 : sampleMaxNewTokens;
        sampleTemperature = sampleTemperature == null ? 0.7 : sampleTemperature;
        samplePromptWords = samplePromptWords == null ? 3 : samplePromptWords;
        if (numSamples < 0) {
            throw bad("num_samples", "must be >= 0, got " + numSamples);
        }
        if (sampleMaxNewTokens < 1) {
            throw bad("sample_max_new_tokens", "must be >= 1, got " + sampleMaxNewTokens);
        }
        if (!(sampleTemperature >= 0) || sampleTemperature.isInfinite()) {
            throw bad("sample_temperature", "must be >= 0, got " + sampleTemperature);
        }
        if (samplePromptWords < 1) {
            throw bad("sample_prompt_words", "must be >= 1, got " + samplePromptWords);
        }
    }

    /** A config for {@code data} with every other key at its default. */
    public static SftConfig of(List<String> data) {
        return new SftConfig(null, null, null, data, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    static UserInputException bad(String field, String what) {
        return UserInputException.at(null, 0, field, what);
    }

    /**
     * A builder with every key unset (the Java API): {@code build()} gives each unset key the default
     * documented above and runs the same checks as a config file.
     */
    public static SftConfigBuilder builder() {
        return new SftConfigBuilder();
    }

    /** A builder holding this config's values, to change a few keys. */
    public SftConfigBuilder toBuilder() {
        return new SftConfigBuilder(this);
    }
}
