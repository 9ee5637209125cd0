package dev.align4j.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonTest {

    @Test
    void matchesHandComputedValues() {
        // p = 0.5, n = 100, z = 1.96: z^2 = 3.8416, denom = 1.038416, centre = (0.5 + 0.019208) / 1.038416
        // = 0.5; half = 1.96 / 1.038416 * sqrt(0.0025 + 0.00009604) = 1.887494 * 0.050951 = 0.096170
        double[] ci = Wilson.interval(0.5, 100, 1.96);
        assertThat(ci[0]).isCloseTo(0.403830, within(1e-5));
        assertThat(ci[1]).isCloseTo(0.596170, within(1e-5));
        // p = 0.85, n = 256: centre = (0.85 + 3.8416/512) / (1 + 3.8416/256) = 0.857503 / 1.015006 = 0.844826;
        // half = 1.96 / 1.015006 * sqrt(0.1275/256 + 3.8416/262144) = 1.930977 * sqrt(0.000498047 + 0.0000146545)
        //      = 1.930977 * 0.0226429 = 0.0437229
        ci = Wilson.interval(0.85, 256, 1.96);
        assertThat(ci[0]).isCloseTo(0.801101, within(1e-5));
        assertThat(ci[1]).isCloseTo(0.888549, within(1e-5));
    }

    @Test
    void allWinsStillHasALowerBoundBelowOne() {
        // p = 1, n = 10: centre = (1 + 0.19208) / 1.38416 = 0.861230; half = 1.96 / 1.38416 * sqrt(0.009604)
        // = 1.416021 * 0.098 = 0.138770 -> [0.722460, 1]
        double[] ci = Wilson.interval(1.0, 10, 1.96);
        assertThat(ci[0]).isCloseTo(0.722460, within(1e-5));
        assertThat(ci[1]).isCloseTo(1.0, within(1e-9));
    }
}
