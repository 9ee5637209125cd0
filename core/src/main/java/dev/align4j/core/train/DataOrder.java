package dev.align4j.core.train;

import java.util.SplittableRandom;

/** Seeded data orders for {@link BatchSource} implementations; no shared RNG state anywhere. */
public final class DataOrder {

    private DataOrder() {
    }

    /**
     * A permutation of {@code 0..n-1} that depends only on {@code (seed, epoch)}: a Fisher-Yates
     * shuffle driven by a {@link SplittableRandom} seeded from both, so epoch 3 can be produced
     * without producing epochs 0-2.
     */
    public static int[] permutation(long seed, long epoch, int n) {
        SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** A well-spread 64-bit seed from two values (SplitMix64 finaliser over a combination). */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
