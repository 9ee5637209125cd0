package dev.align4j.core.gen;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import dev.align4j.core.stats.Stats;
import java.util.List;
import java.util.Random;

/**
 * Decoding throughput with and without the KV cache, for {@code align4j bench}. Greedy decoding
 * with no EOS, so every row generates exactly {@code newTokens}; the first run is a warm-up and the
 * median of the timed runs is reported. Not a test: nothing here asserts on time.
 */
public final class GenerationBench {

    private static final Logger LOG = LogManager.getLogger(GenerationBench.class);

    private GenerationBench() {}

    /**
     * @param cachedTokensPerSecond generated tokens (batch x newTokens) per second with the cache
     * @param uncachedTokensPerSecond the same, recomputing the whole sequence at every step
     */
    public record Result(int batch, int promptLength, int newTokens, double cachedTokensPerSecond,
            double uncachedTokensPerSecond) {

        /** How many times faster decoding is with the cache. */
        public double speedup() {
            return cachedTokensPerSecond / uncachedTokensPerSecond;
        }
    }

    /** Builds a randomly initialised float32 model of {@code config} on {@code device} and measures it. */
    public static Result run(ModelConfig config, Device device, int batch, int promptLength,
            int newTokens, int repeats) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            CausalLM model = new CausalLM(config);
            model.initialize(manager, DataType.FLOAT32);
            return run(model, batch, promptLength, newTokens, repeats);
        }
    }

    /** Measures an existing model. */
    public static Result run(CausalLM model, int batch, int promptLength, int newTokens,
            int repeats) {
        if (batch <= 0 || promptLength <= 0 || newTokens <= 0 || repeats <= 0) {
            throw new IllegalArgumentException("batch, prompt length, new tokens and repeats must be"
                    + " > 0: " + batch + ", " + promptLength + ", " + newTokens + ", " + repeats);
        }
        Random random = new Random(0);
        List<int[]> prompts = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            prompts.add(random.ints(promptLength, 0, model.config().vocabSize()).toArray());
        }
        return run(model, prompts, SamplingParams.greedy(newTokens), repeats);
    }

    /**
     * Tokens/s decoding {@code prompts} with {@code params} (its useCache is ignored: both ways are
     * measured), median of {@code repeats} runs after one warm-up run each.
     */
    public static Result run(CausalLM model, List<int[]> prompts, SamplingParams params,
            int repeats) {
        int batch = prompts.size();
        int promptLength = prompts.get(0).length;
        int newTokens = params.maxNewTokens();
        SamplingParams cached = params.toBuilder().useCache(true).build();
        SamplingParams uncached = params.toBuilder().useCache(false).build();
        double withCache = tokensPerSecond(model, prompts, cached, repeats);
        double withoutCache = tokensPerSecond(model, prompts, uncached, repeats);
        Result r = new Result(batch, promptLength, newTokens, withCache, withoutCache);
        LOG.info("generation bench: batch {} prompt {} new {}: {} tok/s with cache, {} without"
                + " ({}x)", batch, promptLength, newTokens, String.format("%.1f", withCache),
                String.format("%.1f", withoutCache), String.format("%.2f", r.speedup()));
        return r;
    }

    private static double tokensPerSecond(CausalLM model, List<int[]> prompts,
            SamplingParams params, int repeats) {
        Generator generator = new Generator(model);
        generator.generate(prompts, params); // warm-up: native kernels, RoPE tables, allocator
        double[] rates = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            List<Generation> out = generator.generate(prompts, params);
            double seconds = (System.nanoTime() - start) / 1e9;
            long tokens = out.stream().mapToLong(Generation::length).sum();
            rates[i] = tokens / seconds;
        }
        return Stats.median(rates);
    }
}
