package dev.align4j.core.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StatsTest {

    @Test
    void meanAndBothStandardDeviations() {
        double[] x = {1, 2, 3, 4};
        assertThat(Stats.mean(x)).isEqualTo(2.5);
        // squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5
        assertThat(Stats.populationStd(x)).isCloseTo(Math.sqrt(5 / 4.0), within(1e-12));
        assertThat(Stats.sampleStd(x)).isCloseTo(Math.sqrt(5 / 3.0), within(1e-12));
        assertThat(Stats.populationStd(new float[] {2, 4})).isEqualTo(1.0);
        assertThat(Stats.sampleStd(new double[] {7})).isEqualTo(0.0);
        assertThat(Stats.mean(new double[0])).isNaN();
        assertThat(Stats.populationStd(new double[0])).isNaN();
    }

    @Test
    void medianAveragesTheTwoMiddleValuesAndLeavesTheInputAlone() {
        double[] even = {3, 1, 4, 2};
        assertThat(Stats.median(even)).isEqualTo(2.5);
        assertThat(even).containsExactly(3, 1, 4, 2);
        assertThat(Stats.median(new double[] {5, 1, 3})).isEqualTo(3.0);
        assertThat(Stats.median(new double[0])).isNaN();
    }

    @Test
    void nearestRankPercentiles() {
        // sorted[ceil(p/100 * 5) - 1] of 15 20 35 40 50
        double[] x = {50, 15, 40, 20, 35};
        assertThat(Stats.percentile(x, 5)).isEqualTo(15.0);   // ceil(0.25) = 1
        assertThat(Stats.percentile(x, 30)).isEqualTo(20.0);  // ceil(1.5) = 2
        assertThat(Stats.percentile(x, 40)).isEqualTo(20.0);  // ceil(2.0) = 2
        assertThat(Stats.percentile(x, 50)).isEqualTo(35.0);  // ceil(2.5) = 3
        assertThat(Stats.percentile(x, 100)).isEqualTo(50.0);
        assertThat(Stats.percentile(new int[] {1, 2, 3, 4}, 50)).isEqualTo(2); // ceil(2) = 2, not 2.5
        assertThatThrownBy(() -> Stats.percentile(x, 0)).hasMessageContaining("(0, 100]");
    }

    @Test
    void wilsonAndClopperPearsonIntervals() {
        // Wilson, z = 1.95996, p = 0.8, n = 10: centre (p + z^2/2n) / (1 + z^2/n) = 0.71674,
        // half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n) = 0.22658
        Stats.Interval w = Stats.wilson(8, 10, 0.95);
        assertThat(w.lower()).isCloseTo(0.490162, within(1e-5));
        assertThat(w.upper()).isCloseTo(0.943318, within(1e-5));
        // Clopper-Pearson: Beta(0.025; 8, 3) and Beta(0.975; 9, 2)
        Stats.Interval cp = Stats.clopperPearson(8, 10, 0.95);
        assertThat(cp.lower()).isCloseTo(0.4439, within(1e-4));
        assertThat(cp.upper()).isCloseTo(0.9748, within(1e-4));
        assertThat(cp.lower()).isLessThan(w.lower());
        Stats.Interval none = Stats.wilson(0, 10, 0.95);
        assertThat(none.lower()).isCloseTo(0.0, within(1e-12));
        assertThat(none.upper()).isCloseTo(0.277533, within(1e-5)); // z^2/(n + z^2)
    }

    @Test
    void wilsonOfARateMatchesHandComputedValues() {
        // z = 1.96 in the hand computations; confidence 0.95 gives z = 1.959964, which moves them < 1e-5
        // p = 0.5, n = 100, z = 1.96: z^2 = 3.8416, denom = 1.038416, centre = (0.5 + 0.019208) / 1.038416
        // = 0.5; half = 1.96 / 1.038416 * sqrt(0.0025 + 0.00009604) = 1.887494 * 0.050951 = 0.096170
        Stats.Interval ci = Stats.wilsonOfRate(0.5, 100, 0.95);
        assertThat(ci.lower()).isCloseTo(0.403830, within(1e-5));
        assertThat(ci.upper()).isCloseTo(0.596170, within(1e-5));
        // p = 0.85, n = 256: centre = (0.85 + 3.8416/512) / (1 + 3.8416/256) = 0.857503 / 1.015006 = 0.844826;
        // half = 1.96 / 1.015006 * sqrt(0.1275/256 + 3.8416/262144) = 1.930977 * sqrt(0.000498047 + 0.0000146545)
        //      = 1.930977 * 0.0226429 = 0.0437229
        ci = Stats.wilsonOfRate(0.85, 256, 0.95);
        assertThat(ci.lower()).isCloseTo(0.801101, within(1e-5));
        assertThat(ci.upper()).isCloseTo(0.888549, within(1e-5));
        // a whole count gives what Commons Math gives
        Stats.Interval counted = Stats.wilson(8, 10, 0.95);
        Stats.Interval rated = Stats.wilsonOfRate(0.8, 10, 0.95);
        assertThat(rated.lower()).isCloseTo(counted.lower(), within(1e-12));
        assertThat(rated.upper()).isCloseTo(counted.upper(), within(1e-12));
        assertThatThrownBy(() -> Stats.wilsonOfRate(1.5, 10, 0.95)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wilsonOfAllWinsStillHasALowerBoundBelowOne() {
        // p = 1, n = 10: centre = (1 + 0.19208) / 1.38416 = 0.861230; half = 1.96 / 1.38416 * sqrt(0.009604)
        // = 1.416021 * 0.098 = 0.138770 -> [0.722460, 1]
        Stats.Interval ci = Stats.wilsonOfRate(1.0, 10, 0.95);
        assertThat(ci.lower()).isCloseTo(0.722460, within(1e-5));
        assertThat(ci.upper()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void tokenMeanCountsOnlyTheValidEntriesOfARaggedArray() {
        float[][] x = {{1, 2, 99}, {3, 99, 99}, {}};
        int[] lengths = {2, 1, 5}; // a length past the row's end is cut to the row
        assertThat(Stats.validEntries(x, lengths)).containsExactly(1, 2, 3);
        assertThat(Stats.tokenMean(x, lengths)).isEqualTo(2.0);
        assertThat(Stats.tokenMean(x, new int[] {0, 0, 0})).isNaN();
    }
}
