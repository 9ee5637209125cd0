package dev.align4j.datasets.split;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Mixes several data sets by weight into one list of {@code total} items. Source i contributes
 * {@code round(total * w_i / sum(w))} items (the rounding remainder goes to the largest weights),
 * drawn without replacement from a seeded shuffle and cycling through it again (a new epoch) when a
 * source is smaller than its share. The result is shuffled. Deterministic for a seed.
 */
public final class Mixer {

    private Mixer() {
    }

    public static <T> List<T> mix(List<List<T>> sources, double[] weights, int total, long seed) {
        if (sources.size() != weights.length || sources.isEmpty()) {
            throw new IllegalArgumentException(sources.size() + " sources but " + weights.length + " weights");
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0 || (weights[i] > 0 && sources.get(i).isEmpty())) {
                throw new IllegalArgumentException("source " + i + ": weight " + weights[i]
                        + (weights[i] < 0 ? " is negative" : " but the source is empty"));
            }
            sum += weights[i];
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("weights sum to " + sum);
        }
        int[] share = new int[weights.length];
        int given = 0;
        for (int i = 0; i < weights.length; i++) {
            share[i] = (int) Math.floor(total * weights[i] / sum);
            given += share[i];
        }
        List<Integer> byWeight = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            byWeight.add(i);
        }
        byWeight.sort((a, b) -> Double.compare(weights[b], weights[a]));
        for (int k = 0; given < total; k = (k + 1) % weights.length, given++) {
            share[byWeight.get(k)]++;
        }
        Random rng = new Random(seed);
        List<T> out = new ArrayList<>(total);
        for (int i = 0; i < sources.size(); i++) {
            List<T> order = new ArrayList<>(sources.get(i));
            for (int taken = 0; taken < share[i]; ) {
                Collections.shuffle(order, rng);
                for (int j = 0; j < order.size() && taken < share[i]; j++, taken++) {
                    out.add(order.get(j));
                }
            }
        }
        Collections.shuffle(out, rng);
        return out;
    }
}
