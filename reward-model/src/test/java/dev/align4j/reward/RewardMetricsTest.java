package dev.align4j.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class RewardMetricsTest {

    @Test
    void metricsMatchHandComputedValues() {
        float[] c = {2, 0, 1};
        float[] r = {0, 1, 1};
        Map<String, Double> m = RewardMetrics.of(c, r, null, 0.5, "eval_");
        // -log sigmoid(d) for d = 2, -1, 0; centering 0.5 * mean((c + r)^2) = 0.5 * (4 + 1 + 4) / 3
        double bt = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(1)) + Math.log(2)) / 3;
        assertThat(m.get("eval_loss")).isCloseTo(bt + 1.5, within(1e-9));
        assertThat(m.get("eval_accuracy")).isCloseTo(1.0 / 3, within(1e-12)); // a tie is not correct
        assertThat(m.get("eval_margin")).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(m.get("eval_chosen_mean")).isCloseTo(1.0, within(1e-9));
        assertThat(m.get("eval_chosen_std")).isCloseTo(Math.sqrt(2.0 / 3), within(1e-9));
        // a margin of 1 on the first pair: -log sigmoid(2 - 1)
        Map<String, Double> withMargin = RewardMetrics.of(new float[] {2}, new float[] {0}, new float[] {1}, 0, "");
        assertThat(withMargin.get("loss")).isCloseTo(Math.log1p(Math.exp(-1)), within(1e-9));
    }

    @Test
    void calibrationBinsSplitPairsByGapAndSumToTheirCount() {
        float[] c = {0.1f, 3, -1, 0.5f, 2, 0, 5};
        float[] r = {0, 0, 0, 1, 0, 0.05f, 0};
        List<RewardMetrics.Bin> bins = RewardMetrics.calibration(c, r, 3);
        assertThat(bins).hasSize(3);
        assertThat(bins.stream().mapToInt(RewardMetrics.Bin::count).sum()).isEqualTo(7);
        // gaps sorted: 0.05 (wrong) 0.1 (right) | 0.5 (wrong) 1 (wrong) | 2 3 5 (right)
        assertThat(bins.get(0).count()).isEqualTo(2);
        assertThat(bins.get(0).correct()).isEqualTo(1);
        assertThat(bins.get(2).accuracy()).isEqualTo(1.0);
        assertThat(bins.get(0).lo()).isCloseTo(0.05, within(1e-6));
        assertThat(bins.get(2).hi()).isCloseTo(5, within(1e-6));
        assertThat(RewardMetrics.calibration(c, r, 50)).hasSize(7);
    }
}
