package dev.align4j.sft;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The pretraining part of a run's config (beside core's {@code TrainingArgs}); snake_case keys, a
 * missing key takes the default below.
 *
 * @param text text files (UTF-8), or {@code builtin:quickstart} for the corpus in the jar; required
 * @param model model folder to continue training; null starts a fresh model (default null)
 * @param modelConfig fresh model: a preset ({@code tiny}, {@code small}, {@code tiny-llama},
 *     {@code small-llama}) or a JSON/YAML ModelConfig file; vocab_size is the tokenizer's (default tiny)
 * @param tokenizer fresh model: {@code byte} (default), {@code bpe:<vocab>} (trained on the text
 *     first and saved with the model) or a tokenizer folder
 * @param seqLen tokens per training sequence: the token stream is cut into pieces of this length
 *     (default 128; at most the model's context length)
 * @param valSetSize sequences held out for eval loss: a fraction below 1 or a count (default 0.05)
 * @param numSamples held-out sequences whose first tokens are continued into samples.jsonl (default 4)
 * @param samplePromptTokens tokens of each sample prompt (default 16)
 * @param sampleMaxNewTokens tokens generated per sample (default 64)
 * @param sampleTemperature sampling temperature; 0 is greedy (default 0.8)
 */
public record PretrainConfig(
        @JsonProperty("text") List<String> text,
        @JsonProperty("model") String model,
        @JsonProperty("model_config") String modelConfig,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("seq_len") Integer seqLen,
        @JsonProperty("val_set_size") Double valSetSize,
        @JsonProperty("num_samples") Integer numSamples,
        @JsonProperty("sample_prompt_tokens") Integer samplePromptTokens,
        @JsonProperty("sample_max_new_tokens") Integer sampleMaxNewTokens,
        @JsonProperty("sample_temperature") Double sampleTemperature) {

    /**
     * Pretraining's TrainingArgs defaults where they differ from the fine-tuning ones (a tiny model
     * from scratch wants a much larger rate), as {@code --set} values; flags and the user's keys
     * override them. {@code align4j pretrain} starts from these (the pipeline's pretrain stage still
     * holds an equal copy).
     */
    public static final Map<String, String> TRAINING_DEFAULTS = Map.of(
            "learning_rate", "3.0e-3",
            "lr_scheduler_type", "cosine",
            "warmup_ratio", "0.05",
            "per_device_train_batch_size", "16",
            "num_train_epochs", "1",
            "save_total_limit", "2",
            "weight_decay", "0.1");

    public PretrainConfig {
        if (text == null || text.isEmpty() || text.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw SftConfig.bad("text", "must name at least one text file (or builtin:quickstart), got " + text);
        }
        text = List.copyOf(text);
        ModelSource source = ModelSource.resolve(model, modelConfig, tokenizer);
        model = source.model();
        modelConfig = source.modelConfig();
        tokenizer = source.tokenizer();
        seqLen = seqLen == null ? 128 : seqLen;
        if (seqLen < 2) {
            throw SftConfig.bad("seq_len", "must be >= 2, got " + seqLen);
        }
        valSetSize = valSetSize == null ? 0.05 : valSetSize;
        if (!(valSetSize >= 0) || valSetSize.isInfinite() || (valSetSize >= 1 && valSetSize % 1 != 0)) {
            throw SftConfig.bad("val_set_size", "must be a fraction in [0, 1) or a whole count, got " + valSetSize);
        }
        numSamples = numSamples == null ? 4 : numSamples;
        samplePromptTokens = samplePromptTokens == null ? 16 : samplePromptTokens;
        sampleMaxNewTokens = sampleMaxNewTokens == null ? 64 : sampleMaxNewTokens;
        sampleTemperature = sampleTemperature == null ? 0.8 : sampleTemperature;
        if (numSamples < 0 || samplePromptTokens < 1 || sampleMaxNewTokens < 1
                || !(sampleTemperature >= 0) || sampleTemperature.isInfinite()) {
            throw SftConfig.bad("num_samples", "samples need num_samples >= 0, sample_prompt_tokens >= 1, "
                    + "sample_max_new_tokens >= 1 and sample_temperature >= 0; got " + numSamples + ", "
                    + samplePromptTokens + ", " + sampleMaxNewTokens + ", " + sampleTemperature);
        }
    }
}
