package dev.align4j.onlinerl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/** The surrogate, the k3 term and every loss normalisation against hand-computed values. */
class CriticFreeLossTest {

    private static NDArray a(NDManager m, float[] v, int rows) {
        return m.create(v, new Shape(rows, v.length / rows));
    }

    @Test
    void surrogateClipsLowAndHighSeparately() {
        try (NDManager m = NDManager.newBaseManager()) {
            // log ratios ln 1.5 (above 1 + 0.28), ln 0.5 (below 1 - 0.2), 0 (inside)
            NDArray logp = a(m, new float[] {(float) Math.log(1.5), (float) Math.log(0.5), 0f}, 1);
            NDArray old = a(m, new float[] {0f, 0f, 0f}, 1);
            NDArray adv = a(m, new float[] {2f, -1f, 3f}, 1);
            float[] l = CriticFreeLoss.surrogate(logp, old, adv, 0.2, 0.28).toFloatArray();
            // A > 0, r 1.5: max(-3, -2 * 1.28) = -2.56; A < 0, r 0.5: max(0.5, 0.8) = 0.8; r 1: -3
            assertThat(l[0]).isCloseTo(-2.56f, within(1e-5f));
            assertThat(l[1]).isCloseTo(0.8f, within(1e-5f));
            assertThat(l[2]).isCloseTo(-3f, within(1e-6f));
            double[] clip = CriticFreeLoss.clipRatios(logp, old, adv, m.ones(new Shape(1, 3)), 0.2, 0.28);
            assertThat(clip[0]).isCloseTo(1 / 3.0, within(1e-6));
            assertThat(clip[1]).isCloseTo(1 / 3.0, within(1e-6));
        }
    }

    @Test
    void klTermIsBetaTimesK3() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logp = a(m, new float[] {-1f, -2f}, 1);
            NDArray ref = a(m, new float[] {-1.5f, -1f}, 1);
            NDArray zero = m.zeros(new Shape(1, 2));
            float[] l = CriticFreeLoss.withKl(zero, logp, ref, 0.1).toFloatArray();
            // log r = ref - logp: -0.5 and 1; k3 = e^x - 1 - x
            assertThat((double) l[0]).isCloseTo(0.1 * (Math.exp(-0.5) - 1 + 0.5), within(1e-6));
            assertThat((double) l[1]).isCloseTo(0.1 * (Math.E - 1 - 1), within(1e-6));
            assertThat(CriticFreeLoss.withKl(zero, logp, ref, 0)).isSameAs(zero);
        }
    }

    @Test
    void eachLossTypeNormalisesAsDocumented() {
        try (NDManager m = NDManager.newBaseManager()) {
            // two rows: [1, 2, 3] (3 tokens) and [4, x, x] (1 token)
            NDArray loss = a(m, new float[] {1, 2, 3, 4, 100, 100}, 2);
            NDArray mask = a(m, new float[] {1, 1, 1, 1, 0, 0}, 2);
            // this micro-batch is the whole mini-batch of 2 rows, 4 tokens; max_new_tokens 5
            CriticFreeLoss.Norm n = new CriticFreeLoss.Norm(2, 4, 2, 5);
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.GRPO, n))).isCloseTo((2 + 4) / 2.0, within(1e-6));
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.DR_GRPO, n))).isCloseTo(10 / 10.0, within(1e-6));
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.DAPO, n))).isCloseTo(10 / 4.0, within(1e-6));
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.BNPO, n))).isCloseTo(10 / 4.0, within(1e-6));
            // as one of two micro-batches of a 4-row, 9-token mini-batch
            CriticFreeLoss.Norm half = new CriticFreeLoss.Norm(4, 9, 2, 5);
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.GRPO, half))).isCloseTo(6 / 4.0, within(1e-6));
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.DR_GRPO, half))).isCloseTo(10 / 20.0,
                    within(1e-6));
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.DAPO, half))).isCloseTo(10 / 9.0, within(1e-6));
            assertThat(v(CriticFreeLoss.reduce(loss, mask, LossType.BNPO, half))).isCloseTo(2.5 * 0.5, within(1e-6));
        }
    }

    private static double v(NDArray x) {
        return x.getFloat();
    }
}
