package dev.align4j.core.gen;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * How {@link Generator} picks each next token. Build with {@link #builder()}; every field has the
 * default shown, which is plain sampling from the model at temperature 1.
 *
 * @param temperature divides the logits; 0 means greedy (argmax). Default 1.
 * @param topK keep only the k most likely tokens; 0 disables. Default 0.
 * @param topP nucleus sampling (Holtzman et al. 2020): keep the smallest set of tokens whose
 *     probability reaches p; 1 disables. Default 1.
 * @param repetitionPenalty CTRL penalty (Keskar et al. 2019) on every token of the prompt and of the
 *     output so far; 1 disables. Default 1.
 * @param minNewTokens EOS and {@code stopTokenIds} are suppressed, and stop strings ignored, until
 *     this many tokens have been generated. Default 0.
 * @param maxNewTokens the most tokens generated per sequence. Default 64.
 * @param eosTokenId the end-of-sequence id (finish reason EOS); -1 for none. Default -1.
 * @param stopTokenIds more ids that end a sequence (finish reason STOP), e.g. a chat end-of-turn
 *     marker. Default none.
 * @param stopStrings texts that end a sequence once the decoded output contains one (finish reason
 *     STOP; the text is cut before it). Needs a decoder on the {@link Generator}. Default none.
 * @param seed base seed; sequence i of a call draws from its own generator seeded with
 *     {@link #rowSeed(long, int) rowSeed(seed, i)} unless explicit per-request seeds are passed.
 *     Default 0.
 * @param useCache decode with the KV cache (true) or recompute the whole sequence at every step
 *     (false; same tokens, for checks and benchmarks). Default true.
 */
public record SamplingParams(
        @JsonProperty("temperature") float temperature,
        @JsonProperty("top_k") int topK,
        @JsonProperty("top_p") double topP,
        @JsonProperty("repetition_penalty") float repetitionPenalty,
        @JsonProperty("min_new_tokens") int minNewTokens,
        @JsonProperty("max_new_tokens") int maxNewTokens,
        @JsonProperty("eos_token_id") int eosTokenId,
        @JsonProperty("stop_token_ids") List<Integer> stopTokenIds,
        @JsonProperty("stop_strings") List<String> stopStrings,
        @JsonProperty("seed") long seed,
        @JsonProperty("use_cache") boolean useCache) {

    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 disables), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException(
                    "repetition_penalty must be > 0, got " + repetitionPenalty);
        }
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max_new_tokens must be > 0, got " + maxNewTokens);
        }
        if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
            throw new IllegalArgumentException("min_new_tokens must be in [0, max_new_tokens="
                    + maxNewTokens + "], got " + minNewTokens);
        }
        stopTokenIds = stopTokenIds == null ? List.of() : List.copyOf(stopTokenIds);
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop_strings must not contain an empty string");
            }
        }
    }

    /** Whether tokens are picked by argmax (temperature 0). */
    public boolean greedy() {
        return temperature == 0f;
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens, no stop ids. */
    public static SamplingParams greedy(int maxNewTokens) {
        return builder().temperature(0).maxNewTokens(maxNewTokens).build();
    }

    /**
     * Seed of sequence {@code index} of a call with base seed {@code seed}: a SplitMix64 mix, so
     * neighbouring rows get unrelated streams.
     */
    public static long rowSeed(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this record's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.repetitionPenalty = repetitionPenalty;
        b.minNewTokens = minNewTokens;
        b.maxNewTokens = maxNewTokens;
        b.eosTokenId = eosTokenId;
        b.stopTokenIds = stopTokenIds;
        b.stopStrings = stopStrings;
        b.seed = seed;
        b.useCache = useCache;
        return b;
    }

    /** Builder with the defaults documented on the record. */
    public static final class Builder {
        private float temperature = 1f;
        private int topK;
        private double topP = 1.0;
        private float repetitionPenalty = 1f;
        private int minNewTokens;
        private int maxNewTokens = 64;
        private int eosTokenId = -1;
        private List<Integer> stopTokenIds = List.of();
        private List<String> stopStrings = List.of();
        private long seed;
        private boolean useCache = true;

        private Builder() {}

        public Builder temperature(double v) {
            temperature = (float) v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(double v) {
            topP = v;
            return this;
        }

        public Builder repetitionPenalty(double v) {
            repetitionPenalty = (float) v;
            return this;
        }

        public Builder minNewTokens(int v) {
            minNewTokens = v;
            return this;
        }

        public Builder maxNewTokens(int v) {
            maxNewTokens = v;
            return this;
        }

        public Builder eosTokenId(int v) {
            eosTokenId = v;
            return this;
        }

        public Builder stopTokenIds(List<Integer> v) {
            stopTokenIds = v;
            return this;
        }

        public Builder stopStrings(List<String> v) {
            stopStrings = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder useCache(boolean v) {
            useCache = v;
            return this;
        }

        public SamplingParams build() {
            return new SamplingParams(temperature, topK, topP, repetitionPenalty, minNewTokens,
                    maxNewTokens, eosTokenId, stopTokenIds, stopStrings, seed, useCache);
        }
    }
}
