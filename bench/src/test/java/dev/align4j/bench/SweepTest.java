package dev.align4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class SweepTest {

    @Test
    void tinySweepReportsFinitePositiveFieldsPerPoint(@TempDir Path tmp) {
        Sweep.Grid g = new Sweep.Grid(List.of(16), List.of(1), List.of(8, 16), 64, 2, 8, 1, 1);
        Map<String, Object> r = new Sweep(g, "cpu", tmp).run();
        assertThat(((Number) r.get("matmul_gflops")).doubleValue()).isPositive();
        List<?> points = (List<?>) r.get("sweep");
        assertThat(points).hasSize(2);
        for (Object o : points) {
            Map<?, ?> p = (Map<?, ?>) o;
            for (String k : new String[] {"tokens_per_s", "step_ms", "mfu", "peak_rss_mb",
                    "weights_plus_optimizer_bytes", "model_flops_per_token", "parameters",
                    "attention_flops_share", "rss_mb_at_start"}) {
                double v = ((Number) p.get(k)).doubleValue();
                assertThat(v).as(k).isPositive().isFinite();
            }
            assertThat(p.get("heads")).isEqualTo(2);
            assertThat((double) p.get("load_average_1m")).isGreaterThanOrEqualTo(0).isFinite();
            assertThat((long) p.get("peak_rss_mb")).isGreaterThanOrEqualTo((long) p.get("rss_mb_at_start"));
            assertThat((double) p.get("mfu")).isLessThan(1.0);
        }
        Map<?, ?> a = (Map<?, ?>) points.get(0);
        Map<?, ?> b = (Map<?, ?>) points.get(1);
        assertThat(a.get("ctx")).isEqualTo(8);
        assertThat(b.get("ctx")).isEqualTo(16);
        // longer context: more attention work per token, more position rows in the weights
        assertThat((double) b.get("attention_flops_share")).isGreaterThan((double) a.get("attention_flops_share"));
        assertThat((long) b.get("weights_plus_optimizer_bytes"))
                .isEqualTo((long) a.get("weights_plus_optimizer_bytes") + 3L * 4 * 8 * 16);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> typed = (List<Map<String, Object>>) points;
        assertThat(Sweep.table(typed).lines()).hasSize(3);
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void listsAreValidatedWithTheFlagName() {
        assertThat(Sweep.parseList("--sweep-d", " 256,512 ", List.of())).containsExactly(256, 512);
        assertThat(Sweep.parseList("--sweep-d", null, List.of(7))).containsExactly(7);
        for (String bad : new String[] {"", "256,", "x", "0", "-4", "1.5"}) {
            assertThatThrownBy(() -> Sweep.parseList("--sweep-layers", bad, List.of()))
                    .as(bad).isInstanceOf(UserInputException.class).hasMessageStartingWith("--sweep-layers: ");
        }
        assertThatThrownBy(() -> Sweep.parseList("--sweep-context", "128,128", List.of()))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new Sweep.Grid(List.of(100), List.of(4), List.of(128), 8192, 2, 64, 2, 3))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("--sweep-d: 100");
    }
}
