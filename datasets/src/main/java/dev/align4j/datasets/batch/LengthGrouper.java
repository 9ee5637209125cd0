package dev.align4j.datasets.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * group_by_length: batches of similar length, so less compute goes to padding, while keeping
 * randomness. Items are shuffled, cut into mega-batches of {@code megaFactor * batchSize}, each
 * sorted by length, cut into batches, and the batches shuffled again. Deterministic for a seed.
 */
public final class LengthGrouper {

    private LengthGrouper() {
    }

    public static <T> List<List<T>> batches(List<T> items, ToIntFunction<T> length, int batchSize, int megaFactor,
                                            long seed) {
        if (batchSize < 1 || megaFactor < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " and mega factor " + megaFactor + " must be >= 1");
        }
        Random rng = new Random(seed);
        List<T> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, rng);
        int mega = batchSize * megaFactor;
        List<List<T>> out = new ArrayList<>();
        for (int s = 0; s < shuffled.size(); s += mega) {
            List<T> chunk = new ArrayList<>(shuffled.subList(s, Math.min(shuffled.size(), s + mega)));
            chunk.sort(Comparator.comparingInt(length).reversed());
            for (int i = 0; i < chunk.size(); i += batchSize) {
                out.add(List.copyOf(chunk.subList(i, Math.min(chunk.size(), i + batchSize))));
            }
        }
        Collections.shuffle(out, rng);
        return out;
    }

    /** Plain shuffled batches, for comparison and for when lengths do not matter. */
    public static <T> List<List<T>> shuffledBatches(List<T> items, int batchSize, long seed) {
        List<T> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(seed));
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i += batchSize) {
            out.add(List.copyOf(shuffled.subList(i, Math.min(shuffled.size(), i + batchSize))));
        }
        return out;
    }
}
