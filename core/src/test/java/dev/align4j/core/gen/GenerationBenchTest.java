package dev.align4j.core.gen;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.align4j.core.model.ModelConfig;

import org.junit.jupiter.api.Test;

/** Only that the bench runs and reports; no timing assertions (see DESIGN.md). */
class GenerationBenchTest {

    @Test
    void reportsPositiveRatesForBothModes() {
        GenerationBench.Result r = GenerationBench.run(ModelConfig.gpt2(23, 32, 16, 1, 2),
                Device.cpu(), 2, 4, 3, 1);
        assertThat(r.cachedTokensPerSecond()).isPositive();
        assertThat(r.uncachedTokensPerSecond()).isPositive();
        assertThat(r.speedup()).isPositive();
    }
}
