package dev.align4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.model.CausalLM;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

class BenchmarkTest {

    @Test
    void shapeParsesOverridesAndNamesBadKeys() {
        BenchShape s = BenchShape.parse("d=64, heads=2,batch=4");
        assertThat(s).isEqualTo(new BenchShape(8192, 256, 4, 64, 2, 4, 12, 3));
        assertThatThrownBy(() -> BenchShape.parse("depth=3"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("depth=3");
        assertThatThrownBy(() -> BenchShape.parse("d=x"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("d: expected");
        assertThatThrownBy(() -> BenchShape.parse("d=30,heads=4"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("divisible");
    }

    @Test
    void flopsPerTokenIsSixNPlusAttention(@TempDir Path tmp) {
        BenchShape s = BenchShape.parse("vocab=100,ctx=16,layers=1,d=16,heads=2");
        Benchmark b = new Benchmark(s, "cpu", tmp);
        // N without the position table: embeddings 100*16, one block (4 attn projections with bias,
        // MLP 16->64->16 with biases, two LayerNorms), final LayerNorm
        long block = 4 * (16 * 16 + 16) + (16 * 64 + 64) + (64 * 16 + 16) + 2 * 32;
        long n = 100 * 16 + block + 32;
        assertThat(new CausalLM(b.modelConfig()).namedParameters().values().stream()
                .mapToLong(p -> p.getShape().size()).sum()).isEqualTo(n + 16 * 16);
        assertThat(b.flopsPerToken()).isEqualTo(6.0 * n + 12.0 * 1 * 16 * 16);
    }

    @Test
    void tinyRunReportsEverySection(@TempDir Path tmp) {
        BenchShape s = BenchShape.parse("vocab=64,ctx=24,layers=1,d=16,heads=2,batch=2,steps=1,warm=0");
        Map<String, Object> r = new Benchmark(s, "cpu", tmp).run(Benchmark.Options.all());
        for (String k : new String[] {"sft_tokens_per_s", "lora_sft_tokens_per_s",
                "qlora_sft_tokens_per_s", "dpo_pairs_per_s", "gen_tokens_per_s",
                "gen_uncached_tokens_per_s", "matmul_gflops", "peak_rss_mb", "ppo_iteration_s"}) {
            assertThat(((Number) r.get(k)).doubleValue()).as(k).isGreaterThan(0);
        }
        assertThat((double) r.get("mfu")).isGreaterThanOrEqualTo(0);
        assertThat((long) r.get("qlora_weights_plus_optimizer_bytes"))
                .isLessThan((long) r.get("full_weights_plus_optimizer_bytes"));
        assertThat(((Map<?, ?>) r.get("ppo_split")).keySet()).map(Object::toString).containsExactly("generation_s", "scoring_s", "training_s");
        Map<?, ?> split = (Map<?, ?>) r.get("sft_step_breakdown_ms");
        assertThat(split.keySet()).map(Object::toString).containsExactly("blocks_forward", "lm_head_forward",
                "cross_entropy_forward", "backward", "clip_and_adamw", "step");
        double parts = split.entrySet().stream().filter(e -> !"step".equals(e.getKey()))
                .mapToDouble(e -> ((Number) e.getValue()).doubleValue()).sum();
        assertThat(((Number) split.get("backward")).doubleValue()).isPositive();
        assertThat(((Number) split.get("step")).doubleValue()).isCloseTo(parts, org.assertj.core.api.Assertions.within(0.3));
        assertThat(tmp.toFile().list()).isEmpty();
    }
}
