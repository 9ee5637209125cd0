package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossScalerTest {

    @Test
    void halvesOnOverflowAndDoublesAfterTheGrowthInterval() {
        LossScaler s = new LossScaler(1024, 2.0, 0.5, 3);
        assertThat(s.update(false)).isFalse();
        assertThat(s.scale()).isEqualTo(512);
        assertThat(s.update(true)).isTrue();
        assertThat(s.update(true)).isTrue();
        assertThat(s.scale()).isEqualTo(512); // two good steps: not yet
        assertThat(s.update(true)).isTrue();
        assertThat(s.scale()).isEqualTo(1024); // third good step in a row grows it
        assertThat(s.goodSteps()).isZero();
        s.update(true);
        s.update(true);
        s.update(false); // an overflow resets the run of good steps
        assertThat(s.scale()).isEqualTo(512);
        s.update(true);
        s.update(true);
        assertThat(s.scale()).isEqualTo(512);
        assertThat(s.skipped()).isEqualTo(2);
    }

    @Test
    void torchDefaultsAndRestore() {
        LossScaler s = new LossScaler(65536);
        for (int i = 0; i < 1999; i++) {
            s.update(true);
        }
        assertThat(s.scale()).isEqualTo(65536);
        s.update(true);
        assertThat(s.scale()).isEqualTo(131072);
        s.restore(8, 5, 3);
        assertThat(s.scale()).isEqualTo(8);
        assertThat(s.goodSteps()).isEqualTo(5);
        assertThat(s.skipped()).isEqualTo(3);
        assertThatThrownBy(() -> s.restore(Double.POSITIVE_INFINITY, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LossScaler(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
