package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void linearWarmupThenDecayToZero() {
        // total 10, warmup 2, base 1: HF get_linear_schedule_with_warmup
        LrSchedule s = new LrSchedule(SchedulerType.LINEAR, 1.0, 2, 10);
        assertThat(s.lr(0)).isEqualTo(0.0);
        assertThat(s.lr(1)).isEqualTo(0.5);
        assertThat(s.lr(2)).isEqualTo(1.0);
        assertThat(s.lr(6)).isEqualTo(0.5); // (10-6)/8
        assertThat(s.lr(9)).isEqualTo(0.125);
        assertThat(s.lr(10)).isEqualTo(0.0);
        assertThat(s.lr(12)).isEqualTo(0.0);
    }

    @Test
    void cosineHalfWave() {
        LrSchedule s = new LrSchedule(SchedulerType.COSINE, 2.0, 2, 10);
        assertThat(s.lr(1)).isEqualTo(1.0);
        assertThat(s.lr(2)).isEqualTo(2.0);
        assertThat(s.lr(6)).isCloseTo(1.0, within(1e-12)); // half way: cos(pi/2) = 0
        assertThat(s.lr(4)).isCloseTo(2.0 * 0.5 * (1 + Math.sqrt(0.5)), within(1e-12)); // cos(pi/4)
        assertThat(s.lr(10)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void constantVariants() {
        assertThat(new LrSchedule(SchedulerType.CONSTANT, 3e-4, 5, 10).lr(0)).isEqualTo(3e-4);
        LrSchedule w = new LrSchedule(SchedulerType.CONSTANT_WITH_WARMUP, 1.0, 4, 10);
        assertThat(w.lr(1)).isEqualTo(0.25);
        assertThat(w.lr(9)).isEqualTo(1.0);
    }

    @Test
    void warmupFromRatioRoundsUpAndStepsWin() {
        assertThat(LrSchedule.warmupSteps(100, 0, 0.03)).isEqualTo(3);
        assertThat(LrSchedule.warmupSteps(10, 0, 0.05)).isEqualTo(1); // ceil(0.5)
        assertThat(LrSchedule.warmupSteps(100, 7, 0.5)).isEqualTo(7);
    }

    @Test
    void typeParsesAnyCaseAndNamesChoicesOnError() {
        assertThat(SchedulerType.parse("Cosine")).isEqualTo(SchedulerType.COSINE);
        assertThat(SchedulerType.COSINE.jsonName()).isEqualTo("cosine");
        assertThatThrownBy(() -> SchedulerType.parse("cosin"))
                .hasMessageContaining("cosin").hasMessageContaining("constant_with_warmup");
    }
}
