package dev.align4j.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    @Test
    void defaultsAreTemperatureOneSamplingWithCache() {
        SamplingParams p = SamplingParams.builder().build();
        assertThat(p.temperature()).isEqualTo(1f);
        assertThat(p.greedy()).isFalse();
        assertThat(p.useCache()).isTrue();
        assertThat(SamplingParams.greedy(5).greedy()).isTrue();
        assertThat(p.toBuilder().topK(3).build().topK()).isEqualTo(3);
    }

    @Test
    void badValuesAreNamedInTheMessage() {
        assertThatThrownBy(() -> SamplingParams.builder().topP(0).build())
                .hasMessageContaining("top_p").hasMessageContaining("0.0");
        assertThatThrownBy(() -> SamplingParams.builder().temperature(-1).build())
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingParams.builder().maxNewTokens(4).minNewTokens(5).build())
                .hasMessageContaining("min_new_tokens").hasMessageContaining("5");
    }

    @Test
    void rowSeedsDifferPerRow() {
        assertThat(SamplingParams.rowSeed(1, 0)).isNotEqualTo(SamplingParams.rowSeed(1, 1));
        assertThat(SamplingParams.rowSeed(1, 0)).isNotEqualTo(SamplingParams.rowSeed(2, 0));
    }
}
