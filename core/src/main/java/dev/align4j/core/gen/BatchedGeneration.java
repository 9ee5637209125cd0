package dev.align4j.core.gen;

import java.util.ArrayList;
import java.util.List;

/**
 * Many prompts through one {@link Generator}, a batch at a time, with the one per-row seeding rule:
 * prompt i of the whole list samples with seed {@link SamplingParams#rowSeed rowSeed(params.seed(), i)},
 * so the batch size changes only speed and memory, never the output. Evaluation, samples files,
 * rollouts and {@code align4j generate} all go through here.
 */
public final class BatchedGeneration {

    /** Sees each batch as it finishes; returning false stops before the next batch. */
    @FunctionalInterface
    public interface BatchDone {
        /** @param from index of the batch's first prompt in the whole list */
        boolean accept(int from, List<Generation> batch);
    }

    private BatchedGeneration() {
    }

    /** Every prompt's generation, in order. */
    public static List<Generation> generate(Generator generator, List<int[]> prompts, SamplingParams params,
            int batchSize) {
        return generate(generator, prompts, params, batchSize, (from, batch) -> true);
    }

    /**
     * The generations of the batches done: all prompts, or fewer when {@code done} returned false
     * before the last batch.
     */
    public static List<Generation> generate(Generator generator, List<int[]> prompts, SamplingParams params,
            int batchSize, BatchDone done) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        List<Generation> out = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += batchSize) {
            int to = Math.min(prompts.size(), from + batchSize);
            List<Generation> batch = generator.generate(prompts.subList(from, to), rowSeeds(params.seed(), from, to),
                    params, null);
            out.addAll(batch);
            if (!done.accept(from, batch) && to < prompts.size()) {
                break;
            }
        }
        return out;
    }

    /** {@code rowSeed(seed, i)} for i in [from, to). */
    public static long[] rowSeeds(long seed, int from, int to) {
        long[] seeds = new long[to - from];
        for (int i = from; i < to; i++) {
            seeds[i - from] = SamplingParams.rowSeed(seed, i);
        }
        return seeds;
    }
}
