package dev.align4j.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.align4j.core.train.StepOutput;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rpo_alpha: the sigmoid loss plus alpha x the chosen replies' token NLL, values computed by hand. */
class DpoObjectiveTest {

    private NDManager m;

    @BeforeEach
    void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    private static DpoConfig sigmoid(double beta, Double rpoAlpha) {
        return new DpoConfig("m", null, "d", null, null, null, DpoLossType.SIGMOID, beta, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, rpoAlpha);
    }

    // pairs: chosen sums [-1, -3] over [2, 4] tokens, rejected [-2, -2]; reference chosen [-1.5, -3],
    // rejected [-1.5, -2]. Margins: (0.5 + 0.5) = 1 and 0; beta 0.1 -> z = 0.1 and 0.
    // sigmoid losses: log(1 + e^-0.1) = 0.6443966600, log 2 = 0.6931471806; mean 0.6687719203.
    // chosen NLL = (1 + 3) / (2 + 4) = 0.6666666667.
    private StepOutput run(DpoConfig cfg) {
        NDArray[] policy = {m.create(new float[] {-1f, -3f, -2f, -2f}), m.create(new float[] {2f, 4f, 1f, 1f})};
        NDArray[] ref = {m.create(new float[] {-1.5f, -3f, -1.5f, -2f}), m.create(new float[] {2f, 4f, 1f, 1f})};
        return new DpoObjective(cfg).compute(policy, ref, null, "");
    }

    @Test
    void rpoAlphaAddsTheChosenNll() {
        StepOutput with = run(sigmoid(0.1, 0.5));
        assertThat((double) with.loss().getFloat()).isCloseTo(0.6687719203 + 0.5 * 0.6666666667, within(1e-6));
        assertThat((double) with.arrayMetrics().get("nll_loss").getFloat()).isCloseTo(0.6666666667, within(1e-6));
    }

    @Test
    void withoutRpoAlphaTheLossIsThePlainSigmoidMean() {
        StepOutput plain = run(sigmoid(0.1, null));
        assertThat((double) plain.loss().getFloat()).isCloseTo(0.6687719203, within(1e-6));
        assertThat(plain.arrayMetrics()).doesNotContainKey("nll_loss");
    }

    @Test
    void rpoAlphaIsCheckedAgainstTheLossType() {
        assertThatThrownBy(() -> sigmoid(0.1, -1.0)).hasMessageContaining("rpo_alpha").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new DpoConfig("m", null, "d", null, null, null, DpoLossType.KTO, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, 1.0))
                .hasMessageContaining("rpo_alpha").hasMessageContaining("kto");
    }
}
