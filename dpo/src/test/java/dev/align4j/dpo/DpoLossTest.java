package dev.align4j.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expected values computed by hand (python's math module, see comments), not by the code under test. */
class DpoLossTest {

    private NDManager m;

    @BeforeEach
    void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    private NDArray v(float... x) {
        return m.create(x);
    }

    // pi_c=-1, pi_r=-2, ref_c=ref_r=-1.5: Delta = 0.5 - (-0.5) = 1; beta 0.1 -> z = 0.1
    private final float[] piC = {-1f};
    private final float[] piR = {-2f};
    private final float[] ref = {-1.5f};

    @Test
    void sigmoidIsLogOnePlusExpMinusZ() {
        DpoLoss.Result r = DpoLoss.sigmoid(v(piC), v(piR), v(ref), v(ref), 0.1, 0);
        // log(1 + e^-0.1)
        assertThat((double) r.losses().getFloat(0)).isCloseTo(0.6443966600735709, within(1e-6));
        assertThat((double) r.chosenRewards().getFloat(0)).isCloseTo(0.05, within(1e-7));
        assertThat((double) r.rejectedRewards().getFloat(0)).isCloseTo(-0.05, within(1e-7));
    }

    @Test
    void conservativeSigmoidAndRobust() {
        DpoLoss.Result c = DpoLoss.sigmoid(v(piC), v(piR), v(ref), v(ref), 0.1, 0.1);
        assertThat((double) c.losses().getFloat(0)).isCloseTo(0.6543966600735709, within(1e-6));
        DpoLoss.Result r = DpoLoss.robust(v(piC), v(piR), v(ref), v(ref), 0.1, 0.1);
        assertThat((double) r.losses().getFloat(0)).isCloseTo(0.6318966600735709, within(1e-6));
    }

    @Test
    void hingeAndIpo() {
        assertThat((double) DpoLoss.hinge(v(piC), v(piR), v(ref), v(ref), 0.1).losses().getFloat(0))
                .isCloseTo(0.9, within(1e-6));
        // (1 - 1/(2*0.1))^2 = (1 - 5)^2
        assertThat((double) DpoLoss.ipo(v(piC), v(piR), v(ref), v(ref), 0.1).losses().getFloat(0))
                .isCloseTo(16.0, within(1e-5));
        // hinge is zero once beta*Delta >= 1
        assertThat(DpoLoss.hinge(v(10f), v(-2f), v(0f), v(0f), 0.1).losses().getFloat(0))
                .isEqualTo(0f);
    }

    @Test
    void simpoAndOrpo() {
        // -log sigmoid(2 * 0.5 - 0.5)
        assertThat((double) DpoLoss.simpo(v(-0.5f), v(-1f), 2.0, 0.5).losses().getFloat(0))
                .isCloseTo(0.4740769841801067, within(1e-6));
        // log odds(a) = a - log(1 - e^a); -0.1 * log sigmoid(lo(-0.5) - lo(-1))
        assertThat((double) DpoLoss.orpoOddsRatio(v(-0.5f), v(-1f), 0.1).losses().getFloat(0))
                .isCloseTo(0.03202997852375365, within(1e-6));
    }

    @Test
    void ktoDesirableAndUndesirable() {
        // r = -1 - (-1.5) = 0.5, z = 0.2, beta 0.1
        float[] l = DpoLoss.kto(v(-1f, -1f), v(-1.5f, -1.5f), v(1f, 0f), 0.2, 0.1, 1.0, 1.0)
                .toFloatArray();
        assertThat((double) l[0]).isCloseTo(0.4925005624493797, within(1e-6));
        assertThat((double) l[1]).isCloseTo(0.5074994375506203, within(1e-6));
    }

    @Test
    void sigmoidGradientAtZeroDeltaIsMinusHalfBetaPerPair() {
        NDArray pc = v(-3f, -2f);
        NDArray pr = v(-4f, -1f);
        pc.setRequiresGradient(true);
        pr.setRequiresGradient(true);
        // references equal to the policy: Delta = 0 for both pairs
        NDArray rc = v(-3f, -2f);
        NDArray rr = v(-4f, -1f);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = DpoLoss.sigmoid(pc, pr, rc, rr, 0.1, 0).losses().sum();
            gc.backward(loss);
        }
        // d/dpi_c of -log sigmoid(beta Delta) at Delta=0 is -beta * sigmoid(0) = -beta/2
        assertThat(pc.getGradient().toFloatArray()).containsExactly(-0.05f, -0.05f);
        assertThat(pr.getGradient().toFloatArray()).containsExactly(0.05f, 0.05f);
    }

    @Test
    void lossTypesKnowWhatTheyNeed() {
        assertThat(DpoLossType.SIMPO.needsReference()).isFalse();
        assertThat(DpoLossType.ORPO.needsReference()).isFalse();
        assertThat(DpoLossType.SIGMOID.needsReference()).isTrue();
        assertThat(DpoLossType.IPO.lengthNormalised()).isTrue();
        assertThat(DpoLossType.SIGMOID.lengthNormalised()).isFalse();
    }
}
