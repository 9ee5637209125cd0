package dev.align4j.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.align4j.core.model.TestModels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class BatchedGenerationTest {

    private static final List<int[]> PROMPTS = List.of(new int[] {3, 1, 4}, new int[] {1, 5, 9, 2},
            new int[] {8}, new int[] {9, 7}, new int[] {2, 2});

    @Test
    void batchSizeChangesNothingAndRowISeedsWithRowSeed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            batchSizeChangesNothing(new Generator(TestModels.random(TestModels.gpt2(), manager, 1)));
        }
    }

    private static void batchSizeChangesNothing(Generator gen) {
        SamplingParams params = SamplingParams.builder().temperature(1.0).maxNewTokens(6).seed(42).build();
        List<Generation> one = BatchedGeneration.generate(gen, PROMPTS, params, 1);
        List<Generation> two = BatchedGeneration.generate(gen, PROMPTS, params, 2);
        // the generator's own default for one batch is rowSeed(seed, i) too
        List<Generation> all = gen.generate(PROMPTS, params);
        assertThat(one).hasSize(PROMPTS.size());
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(two.get(i).tokens()).containsExactly(one.get(i).tokens());
            assertThat(all.get(i).tokens()).containsExactly(one.get(i).tokens());
        }
        assertThat(BatchedGeneration.rowSeeds(42, 2, 4))
                .containsExactly(SamplingParams.rowSeed(42, 2), SamplingParams.rowSeed(42, 3));
    }

    @Test
    void stopsBeforeTheNextBatchWhenToldTo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            stopsWhenToldTo(new Generator(TestModels.random(TestModels.gpt2(), manager, 1)));
        }
    }

    private static void stopsWhenToldTo(Generator gen) {
        SamplingParams params = SamplingParams.greedy(3);
        List<Integer> starts = new ArrayList<>();
        List<Generation> done = BatchedGeneration.generate(gen, PROMPTS, params, 2, (from, batch) -> {
            starts.add(from);
            return from == 0;
        });
        assertThat(starts).containsExactly(0, 2);
        assertThat(done).hasSize(4);
        // false after the last batch stops nothing
        assertThat(BatchedGeneration.generate(gen, PROMPTS, params, 5, (from, batch) -> false)).hasSize(5);
        assertThatThrownBy(() -> BatchedGeneration.generate(gen, PROMPTS, params, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
