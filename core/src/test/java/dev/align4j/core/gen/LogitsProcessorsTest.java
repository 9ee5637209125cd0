package dev.align4j.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

class LogitsProcessorsTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeOncePerId() {
        float[] logits = {2f, -1f, 3f, 0.5f};
        LogitsProcessors.repetitionPenalty(logits, new int[] {0, 1, 1, 99}, 3, 2f);
        assertThat(logits).containsExactly(1f, -2f, 3f, 0.5f);
    }

    @Test
    void sampleTopKPicksTheSameIdAsTheFullRowFunctions() {
        SplittableRandom random = new SplittableRandom(7);
        int mismatches = 0;
        int distinct = 0;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int trial = 0; trial < 2000; trial++) {
            int v = 2 + random.nextInt(300);
            float[] logits = new float[v];
            for (int i = 0; i < v; i++) {
                // coarse values make ties at the k-th largest common; some ids suppressed
                logits[i] = random.nextInt(10) == 0 ? NEG_INF : random.nextInt(12) * 0.5f;
            }
            int k = 1 + random.nextInt(v - 1);
            double p = random.nextBoolean() ? 1.0 : random.nextDouble();
            double u = random.nextDouble();
            float[] full = logits.clone();
            LogitsProcessors.topK(full, k);
            float[] probs = LogitsProcessors.softmax(full);
            LogitsProcessors.topP(probs, p);
            int expected = LogitsProcessors.sample(probs, u);
            int actual = LogitsProcessors.sampleTopK(logits, k, p, u);
            if (actual != expected) {
                mismatches++;
            }
            if (seen.add(actual)) {
                distinct++;
            }
        }
        assertThat(mismatches).isZero();
        assertThat(distinct).isGreaterThan(50); // the draws really vary
    }

    @Test
    void sampleTopKLeavesItsInputAlone() {
        float[] logits = {1, 5, 3, 5, 2};
        int id = LogitsProcessors.sampleTopK(logits, 2, 1.0, 0.75);
        assertThat(id).isEqualTo(3); // two survivors of equal probability; u 0.75 is past the first
        assertThat(logits).containsExactly(1, 5, 3, 5, 2);
    }

    @Test
    void topKKeepsKLargestAndTies() {
        float[] a = {1, 5, 3, 5, 2};
        LogitsProcessors.topK(a, 2);
        assertThat(a).containsExactly(NEG_INF, 5, NEG_INF, 5, NEG_INF);
        float[] b = {1, 5, 3, 5, 2};
        LogitsProcessors.topK(b, 3);
        assertThat(b).containsExactly(NEG_INF, 5, 3, 5, NEG_INF);
        float[] c = {1, 2};
        LogitsProcessors.topK(c, 0);
        assertThat(c).containsExactly(1, 2);
    }

    @Test
    void topPKeepsSmallestSetReachingPAndRenormalises() {
        float[] a = {0.1f, 0.4f, 0.3f, 0.2f};
        LogitsProcessors.topP(a, 0.7);
        assertThat(a[0]).isZero();
        assertThat((double) a[1]).isCloseTo(4.0 / 7, within(1e-6));
        assertThat((double) a[2]).isCloseTo(3.0 / 7, within(1e-6));
        assertThat(a[3]).isZero();

        float[] b = {0.1f, 0.4f, 0.3f, 0.2f};
        LogitsProcessors.topP(b, 0.71);
        assertThat(b[0]).isZero();
        assertThat((double) b[3]).isCloseTo(0.2 / 0.9, within(1e-6));

        // the most likely token always survives, even when it alone exceeds p
        float[] c = {0.1f, 0.9f};
        LogitsProcessors.topP(c, 0.05);
        assertThat(c).containsExactly(0f, 1f);
    }

    @Test
    void softmaxGivesZeroForMinusInfinityAndMatchesClosedForm() {
        float[] p = LogitsProcessors.softmax(new float[] {0f, (float) Math.log(3), NEG_INF});
        assertThat((double) p[0]).isCloseTo(0.25, within(1e-7));
        assertThat((double) p[1]).isCloseTo(0.75, within(1e-7));
        assertThat(p[2]).isZero();
        assertThat(LogitsProcessors.logSoftmaxAt(new float[] {0f, (float) Math.log(3)}, 1))
                .isCloseTo(Math.log(0.75), within(1e-7));
    }

    @Test
    void temperatureDividesLogits() {
        float[] a = {1f, -2f};
        LogitsProcessors.temperature(a, 0.5f);
        assertThat(a).containsExactly(2f, -4f);
    }

    @Test
    void suppressSetsMinusInfinityAndIgnoresMissingIds() {
        float[] a = {1f, 2f, 3f};
        LogitsProcessors.suppress(a, new int[] {1, -1, 7});
        assertThat(a).containsExactly(1f, NEG_INF, 3f);
    }

    @Test
    void inverseCdfSamplingSkipsZeroProbabilities() {
        float[] p = {0f, 0.25f, 0.75f, 0f};
        assertThat(LogitsProcessors.sample(p, 0.0)).isEqualTo(1);
        assertThat(LogitsProcessors.sample(p, 0.2)).isEqualTo(1);
        assertThat(LogitsProcessors.sample(p, 0.3)).isEqualTo(2);
        assertThat(LogitsProcessors.sample(p, 0.9999999)).isEqualTo(2);
        assertThat(LogitsProcessors.argmax(new float[] {1, 3, 3})).isEqualTo(1);
    }

    @Test
    void sampledFrequenciesMatchProbabilities() {
        float[] p = {0.1f, 0.6f, 0.3f};
        int[] counts = new int[3];
        SplittableRandom random = new SplittableRandom(1);
        int n = 20000;
        for (int i = 0; i < n; i++) {
            counts[LogitsProcessors.sample(p, random.nextDouble())]++;
        }
        for (int i = 0; i < 3; i++) {
            assertThat(counts[i] / (double) n).isCloseTo(p[i], within(0.015));
        }
    }

    @Test
    void kthLargestAgreesWithSortingOnRandomRowsWithTies() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(300);
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(20) - 10; // many ties
            }
            float[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            int k = 1 + r.nextInt(n);
            assertThat(LogitsProcessors.kthLargest(a.clone(), k)).isEqualTo(sorted[n - k]);
        }
    }
}
