package dev.align4j.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

class RewardLossTest {

    @Test
    void bradleyTerryWithMarginAndCentering() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray c = m.create(new float[] {2f, -1f});
            NDArray r = m.create(new float[] {0.5f, 0f});
            NDArray margin = m.create(new float[] {0.5f, 0f});
            // mean(-log sigmoid(1), -log sigmoid(-1)) computed with python's math module
            assertThat((double) RewardLoss.bradleyTerry(c, r, margin).getFloat())
                    .isCloseTo(0.8132616875182228, within(1e-6));
            // 0.01 * mean(2.5^2, (-1)^2)
            assertThat((double) RewardLoss.centering(c, r, 0.01).getFloat())
                    .isCloseTo(0.03625, within(1e-7));
            assertThat(RewardLoss.accuracy(c, r)).isEqualTo(0.5);
        }
    }

    @Test
    void bradleyTerryGradientIsMinusSigmoidOfMinusDiff() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray c = m.create(new float[] {1f});
            NDArray r = m.create(new float[] {1f});
            c.setRequiresGradient(true);
            r.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(RewardLoss.bradleyTerry(c, r, null));
            }
            // d/dr_c -log sigmoid(r_c - r_r) = -sigmoid(-(r_c - r_r)) = -0.5 at equal rewards
            assertThat(c.getGradient().getFloat()).isEqualTo(-0.5f);
            assertThat(r.getGradient().getFloat()).isEqualTo(0.5f);
        }
    }
}
