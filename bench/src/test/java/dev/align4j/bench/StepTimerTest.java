package dev.align4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class StepTimerTest {

    @Test
    void samplesMemoryEveryHundredStepsAndSplitsOutTheJvm() {
        StepTimer t = new StepTimer(100, 500);
        assertThat(t.rssGrowthSecondHalf()).isNull();
        for (long s = 1; s <= 500; s++) {
            t.onStep(s, Map.of());
        }
        List<Map<String, Long>> series = t.memorySeries();
        assertThat(series).extracting(m -> m.get("step")).containsExactly(100L, 200L, 300L, 400L, 500L);
        for (Map<String, Long> m : series) {
            assertThat(m.get("rss_mb")).isPositive();
            assertThat(m.get("heap_committed_mb") + m.get("non_heap_committed_mb") + m.get("native_mb"))
                    .isEqualTo(m.get("rss_mb"));
        }
        assertThat(t.rssGrowthSecondHalf()).isEqualTo(series.get(4).get("rss_mb") - series.get(2).get("rss_mb"));
        assertThat(t.rssMbAtSteps()).hasSize(2).doesNotContain(0L, -1L);
    }
}
