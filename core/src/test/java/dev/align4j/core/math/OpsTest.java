package dev.align4j.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import org.junit.jupiter.api.Test;

class OpsTest {

    @Test
    void logSigmoidIsStableAndKeepsDtype() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-100f, -1f, 0f, 1f, 100f});
            NDArray y = Ops.logSigmoid(x);
            assertThat(y.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] v = y.toFloatArray();
            assertThat((double) v[0]).isCloseTo(-100.0, within(1e-4));
            assertThat((double) v[1]).isCloseTo(-1.3132616875182228, within(1e-6));
            assertThat((double) v[2]).isCloseTo(-Math.log(2), within(1e-7));
            assertThat((double) v[3]).isCloseTo(-0.31326168751822286, within(1e-6));
            assertThat((double) v[4]).isCloseTo(0.0, within(1e-7));
            assertThat(Ops.log1mExp(m.create(new float[] {-1f})).getDataType())
                    .isEqualTo(DataType.FLOAT32);
        }
    }
}
