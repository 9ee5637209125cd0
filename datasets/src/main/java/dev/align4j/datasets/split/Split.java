package dev.align4j.datasets.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Train / validation / test parts of one data set. */
public record Split<T>(List<T> train, List<T> validation, List<T> test) {

    /**
     * Splits {@code items} by {@code spec}: a Fisher-Yates shuffle of the indices with
     * {@code java.util.Random(seed)} (whose sequence the JDK specifies, so splits are identical across
     * runs and JVMs), test first, then validation, the rest training, each part in file order.
     */
    public static <T> Split<T> of(List<T> items, SplitSpec spec, long seed) {
        int n = items.size();
        int nTest = spec.testOf(n);
        int nVal = spec.validationOf(n);
        if (nTest + nVal >= n && n > 0) {
            throw new IllegalArgumentException("validation " + nVal + " + test " + nTest + " leave no training data of "
                    + n + " records");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random rng = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        byte[] part = new byte[n]; // 0 train, 1 validation, 2 test
        for (int k = 0; k < nTest; k++) {
            part[order[k]] = 2;
        }
        for (int k = nTest; k < nTest + nVal; k++) {
            part[order[k]] = 1;
        }
        List<T> train = new ArrayList<>();
        List<T> val = new ArrayList<>();
        List<T> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (part[i] == 0 ? train : part[i] == 1 ? val : test).add(items.get(i));
        }
        return new Split<>(List.copyOf(train), List.copyOf(val), List.copyOf(test));
    }
}
