package dev.align4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/** GAE, whitening, the clipped policy loss and the KL estimators against hand-computed values. */
class RlMathTest {

    @Test
    void gaeMatchesHandComputedRecursion() {
        // one row, 3 valid tokens of 4, gamma 0.9, lambda 0.5
        float[][] r = {{0f, 0f, 1f, 99f}};
        float[][] v = {{0.5f, 0.2f, 0.4f, 99f}};
        Gae.Result g = Gae.compute(r, v, new int[] {3}, 0.9, 0.5);
        // t=2: delta = 1 + 0 - 0.4 = 0.6; A2 = 0.6
        // t=1: delta = 0 + 0.9*0.4 - 0.2 = 0.16; A1 = 0.16 + 0.45*0.6 = 0.43
        // t=0: delta = 0 + 0.9*0.2 - 0.5 = -0.32; A0 = -0.32 + 0.45*0.43 = -0.1265
        assertThat(g.advantages()[0][2]).isCloseTo(0.6f, within(1e-6f));
        assertThat(g.advantages()[0][1]).isCloseTo(0.43f, within(1e-6f));
        assertThat(g.advantages()[0][0]).isCloseTo(-0.1265f, within(1e-6f));
        assertThat(g.advantages()[0][3]).isEqualTo(0f);
        assertThat(g.returns()[0][0]).isCloseTo(-0.1265f + 0.5f, within(1e-6f));
    }

    @Test
    void whitenGivesZeroMeanUnitStdOverValidTokens() {
        float[][] x = {{1f, 2f, 3f}, {4f, 100f, 100f}};
        Whitening.whiten(x, new int[] {3, 1});
        // valid values 1,2,3,4: mean 2.5, sample std sqrt(5/3)
        double s = Math.sqrt(5.0 / 3.0);
        assertThat((double) x[0][0]).isCloseTo(-1.5 / s, within(1e-5));
        assertThat((double) x[1][0]).isCloseTo(1.5 / s, within(1e-5));
        assertThat(x[1][1]).isEqualTo(100f);
    }

    @Test
    void clippedPolicyLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(1, 3);
            // ratios e^0.5=1.6487 (A=+1, clipped to 1.2), e^-0.5=0.6065 (A=+1, unclipped term
            // smaller so max picks -0.6065... ), 1 (A=-2), last token masked out below
            NDArray logp = m.create(new float[] {0.5f, -0.5f, 0f}, s);
            NDArray old = m.create(new float[] {0f, 0f, 0f}, s);
            NDArray adv = m.create(new float[] {1f, 1f, -2f}, s);
            NDArray mask = m.create(new float[] {1f, 1f, 1f}, s);
            double r0 = Math.exp(0.5);
            double r1 = Math.exp(-0.5);
            // token0: max(-1*1.6487, -1*1.2) = -1.2; token1: max(-0.6065, -0.8) = -0.6065;
            // token2: max(2*1, 2*1) = 2
            double want = (-1.2 + -r1 + 2) / 3;
            assertThat((double) PolicyLoss.clipped(logp, old, adv, mask, 0.2).getFloat())
                    .isCloseTo(want, within(1e-6));
            assertThat((double) PolicyLoss.clipFraction(logp, old, mask, 0.2).getFloat())
                    .isCloseTo(2.0 / 3, within(1e-6));
            assertThat(r0).isGreaterThan(1.2);

        }
    }

    @Test
    void klEstimators() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(new float[] {-1f, -2f});
            NDArray ref = m.create(new float[] {-1.5f, -2f});
            assertThat(KlEstimator.K1.of(lp, ref).toFloatArray()).containsExactly(0.5f, 0f);
            // k3 with log r = -0.5: e^-0.5 - 1 + 0.5
            assertThat((double) KlEstimator.K3.of(lp, ref).getFloat(0))
                    .isCloseTo(Math.exp(-0.5) - 0.5, within(1e-6));
            assertThat(KlEstimator.K3.of(lp, ref).getFloat(1)).isEqualTo(0f);
            // k2 = (log r)^2 / 2 = 0.125; host versions agree with the array ones
            assertThat((double) KlEstimator.K2.of(lp, ref).getFloat(0)).isCloseTo(0.125, within(1e-6));
            assertThat(KlEstimator.K3.of(-1.0, -1.5)).isCloseTo(Math.exp(-0.5) - 0.5, within(1e-12));
            assertThat(KlEstimator.K1.perSequence(new float[][] {{-1f, -2f}}, new float[][] {{-1.5f, -2.5f}},
                    new int[] {1})[0]).isCloseTo(0.5, within(1e-6));
        }
    }

    @Test
    void theGaeEstimatorIsGaeCompute() {
        float[][] r = {{0f, 0f, 1f, 99f}};
        float[][] v = {{0.5f, 0.2f, 0.4f, 99f}};
        AdvantageEstimator.Advantages a = AdvantageEstimator.GAE.estimate(
                new AdvantageEstimator.Input(r, v, null, new int[] {3}, 0.9, 0.5));
        assertThat(a.advantages()[0]).containsExactly(Gae.compute(r, v, new int[] {3}, 0.9, 0.5).advantages()[0]);
        assertThat(a.advantages()[0][1]).isCloseTo(0.43f, within(1e-6f));
    }
}
