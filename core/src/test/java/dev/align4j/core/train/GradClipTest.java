package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.List;

class GradClipTest {

    @Test
    void scalesToMaxNormAndReturnsPreClipNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray g = m.create(new float[] {3f, 4f});
            double norm = GradClip.clipGlobalNorm(List.of(g), 1.0);
            assertThat(norm).isCloseTo(5.0, within(1e-6));
            // scale 1/(5+1e-6): torch's epsilon keeps the result just under max_norm
            assertThat(g.toFloatArray()).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
        }
    }

    @Test
    void normIsGlobalAcrossTensorsAndSmallNormsAreUntouched() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1f, 2f});
            NDArray b = m.create(new float[][] {{2f}, {-4f}});
            double norm = GradClip.clipGlobalNorm(List.of(a, b), 10.0);
            assertThat(norm).isCloseTo(5.0, within(1e-6)); // sqrt(1+4+4+16)
            assertThat(a.toFloatArray()).containsExactly(1f, 2f);
            assertThat(b.toFloatArray()).containsExactly(2f, -4f);
            GradClip.clipGlobalNorm(List.of(a, b), 2.5);
            assertThat(a.toFloatArray()).containsExactly(new float[] {0.5f, 1f}, within(1e-6f));
            assertThat(b.toFloatArray()).containsExactly(new float[] {1f, -2f}, within(1e-6f));
        }
    }
}
