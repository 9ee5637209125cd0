package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

class SftLossTest {

    /** -log softmax(row)[k] in doubles, the naive reference. */
    private static double nll(float[] row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (float v : row) {
            z += Math.exp(v - max);
        }
        return -(row[k] - max - Math.log(z));
    }

    @Test
    void shiftedMaskedCrossEntropyMatchesHandComputation() {
        // two rows of 3 tokens, vocab 3. Row 0: prompt, prompt, reply -> only logits[0,1] predicts
        // label 2. Row 1: every label set -> logits[1,0] predicts 1 and logits[1,1] predicts 0.
        float[][][] logits = {
            {{0.5f, -1f, 2f}, {1f, 0.2f, -0.3f}, {9f, 9f, 9f}},
            {{0.1f, 0.7f, -0.4f}, {-2f, 0.3f, 1.5f}, {9f, -9f, 9f}}};
        int[][] labels = {{-100, -100, 2}, {5, 1, 0}};
        double want = (nll(logits[0][1], 2) + nll(logits[1][0], 1) + nll(logits[1][1], 0)) / 3;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] flat = new float[18];
            int i = 0;
            for (float[][] b : logits) {
                for (float[] t : b) {
                    for (float v : t) {
                        flat[i++] = v;
                    }
                }
            }
            NDArray lg = m.create(flat, new Shape(2, 3, 3));
            NDArray lb = m.create(new long[] {-100, -100, 2, 5, 1, 0}, new Shape(2, 3));
            assertThat((double) SftLoss.loss(lg, lb).getFloat()).isCloseTo(want, within(1e-6));
            assertThat(SftLoss.tokenCount(lb).getLong()).isEqualTo(3);
            assertThat((double) SftLoss.lossSum(lg, lb).getFloat()).isCloseTo(want * 3, within(1e-5));
            assertThat(SftLoss.tokenCount(labels)).isEqualTo(3);
        }
    }

    @Test
    void batchWithoutLabelsGivesZeroNotNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lg = m.randomNormal(new Shape(1, 2, 4));
            NDArray lb = m.create(new long[] {3, -100}, new Shape(1, 2));
            assertThat(SftLoss.loss(lg, lb).getFloat()).isEqualTo(0f);
        }
    }
}
