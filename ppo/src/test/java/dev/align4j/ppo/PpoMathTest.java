package dev.align4j.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/** PPO's value loss by hand (GAE, whitening, policy loss and KL moved to rl's RlMathTest). */
class PpoMathTest {

    @Test
    void clippedValueLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(1, 3);

            NDArray values = m.create(new float[] {1f, 0f, 0f}, s);
            NDArray oldV = m.create(new float[] {0f, 0f, 0f}, s);
            NDArray ret = m.create(new float[] {0f, 1f, 0f}, s);
            NDArray mask2 = m.create(new float[] {1f, 1f, 0f}, s);
            // token0: max((1-0)^2, (0+0.2-0)^2) = 1; token1: max(1, 1) = 1 -> 0.5 * mean = 0.5
            assertThat((double) PpoLoss.value(values, oldV, ret, mask2, 0.2).getFloat())
                    .isCloseTo(0.5, within(1e-6));
        }
    }
}
