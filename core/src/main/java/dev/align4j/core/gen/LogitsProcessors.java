package dev.align4j.core.gen;

import java.util.Arrays;

/**
 * Pure functions on one row of next-token logits or probabilities (length V), applied on the host
 * by {@link Generator} in the order Hugging Face's {@code generate} uses: repetition penalty,
 * suppression of stop ids (min_new_tokens), temperature, top-k, softmax, top-p, then sampling.
 *
 * <p>Filters write {@code -inf} (logits) or 0 (probabilities) in place rather than shrinking the
 * vocabulary, so token ids stay array indices throughout.
 */
public final class LogitsProcessors {

    private LogitsProcessors() {}

    /**
     * CTRL's repetition penalty (Keskar et al. 2019, eq. 2) on every id in {@code seen}: a positive
     * logit is divided by {@code penalty}, a negative one multiplied, so a penalty above 1 always
     * makes a seen token less likely. Ids repeated in {@code seen} are penalised once.
     */
    public static void repetitionPenalty(float[] logits, int[] seen, int seenLength, float penalty) {
        if (penalty == 1f) {
            return;
        }
        boolean[] done = new boolean[logits.length];
        for (int i = 0; i < seenLength; i++) {
            int id = seen[i];
            if (id < 0 || id >= logits.length || done[id]) {
                continue;
            }
            done[id] = true;
            logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
        }
    }

    /** Sets the logits of {@code ids} to -inf (ids outside the vocabulary are ignored). */
    public static void suppress(float[] logits, int[] ids) {
        for (int id : ids) {
            if (id >= 0 && id < logits.length) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Divides every logit by {@code temperature} (> 0). */
    public static void temperature(float[] logits, float temperature) {
        if (temperature == 1f) {
            return;
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] /= temperature;
        }
    }

    /**
     * Keeps the {@code k} largest logits and sets the rest to -inf; {@code k <= 0} or {@code k >= V}
     * is a no-op. Logits tied with the k-th largest are kept too (as in Hugging Face), so more than
     * k may survive.
     */
    public static void topK(float[] logits, int k) {
        if (k <= 0 || k >= logits.length) {
            return;
        }
        // the k-th largest value by quickselect, O(V) rather than a full sort per row and step
        float threshold = kthLargest(logits.clone(), k);
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < threshold) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The k-th largest of {@code a} (1-based), reordering {@code a} (Hoare partition quickselect). */
    static float kthLargest(float[] a, int k) {
        int target = a.length - k; // index in ascending order
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }

    /** softmax of {@code logits} into a new array; -inf gives exactly 0. Sums in double. */
    public static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] e = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            // after top-k most entries are -inf: skip the exp for them
            e[i] = logits[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp((double) logits[i] - max);
            sum += e[i];
        }
        float[] probs = new float[logits.length];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = (float) (e[i] / sum);
        }
        return probs;
    }

    /**
     * Nucleus filtering (Holtzman et al. 2020): keeps the smallest set of most probable tokens whose
     * total probability reaches {@code p}, zeroes the rest and renormalises, in place. The token that
     * crosses {@code p} is kept, so at least one token always survives; tokens tied with the least
     * probable kept token are kept too. {@code p >= 1} is a no-op.
     *
     * @param probs a probability row (sums to 1)
     */
    public static void topP(float[] probs, double p) {
        if (p >= 1) {
            return;
        }
        float[] sorted = probs.clone();
        Arrays.sort(sorted);
        double cumulative = 0;
        float threshold = sorted[sorted.length - 1];
        for (int i = sorted.length - 1; i >= 0; i--) {
            cumulative += sorted[i];
            threshold = sorted[i];
            if (cumulative >= p) {
                break;
            }
        }
        double kept = 0;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] < threshold) {
                probs[i] = 0f;
            } else {
                kept += probs[i];
            }
        }
        for (int i = 0; i < probs.length; i++) {
            probs[i] = (float) (probs[i] / kept);
        }
    }

    /**
     * Inverse-CDF draw: the first id whose cumulative probability exceeds {@code u * total}.
     * Zero-probability ids are never returned, even when float rounding leaves the running sum
     * short of {@code u * total}.
     *
     * @param u a uniform number in [0, 1)
     */
    public static int sample(float[] probs, double u) {
        double total = 0;
        for (float q : probs) {
            total += q;
        }
        double target = u * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] <= 0) {
                continue;
            }
            cumulative += probs[i];
            last = i;
            if (cumulative > target) {
                return i;
            }
        }
        if (last < 0) {
            throw new IllegalStateException("no token has positive probability");
        }
        return last;
    }

    /**
     * {@link #topK}, {@link #softmax}, {@link #topP} and {@link #sample} in one pass that touches
     * the full row only to find the k-th largest logit: the survivors (ties included) are gathered
     * in index order and the rest runs on those k entries. Every sum visits the same non-zero terms
     * in the same order as the full-row functions, so the chosen id is the same bit for bit; it
     * saves the O(V) softmax, exp and cumulative passes and their arrays (about 60% of the host
     * time per row at V 8192, k 50). Apply temperature first: it can merge logits by rounding.
     *
     * @param logits one row (V), not modified
     * @param k 0 < k < V
     * @param p top-p mass ({@code >= 1} is off)
     * @param u a uniform number in [0, 1)
     * @return the sampled id in [0, V)
     */
    public static int sampleTopK(float[] logits, int k, double p, double u) {
        if (k <= 0 || k >= logits.length) {
            throw new IllegalArgumentException("k must be in (0, " + logits.length + "), got " + k);
        }
        float threshold = kthLargest(logits.clone(), k);
        int n = 0;
        for (float l : logits) {
            if (l >= threshold) {
                n++;
            }
        }
        int[] ids = new int[n];
        float[] kept = new float[n];
        for (int i = 0, j = 0; i < logits.length; i++) {
            if (logits[i] >= threshold) {
                ids[j] = i;
                kept[j++] = logits[i];
            }
        }
        float[] probs = softmax(kept);
        topP(probs, p);
        return ids[sample(probs, u)];
    }

    /** Index of the largest value; the lowest index wins ties (as torch.argmax on CPU). */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** log softmax(logits)[id], computed in double. */
    public static double logSoftmaxAt(float[] logits, int id) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[id] - max - Math.log(sum);
    }
}
