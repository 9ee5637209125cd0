package dev.align4j.core.gen;

import dev.align4j.core.model.TestModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;
import dev.align4j.core.model.ModelConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

class GeneratorTest {

    private static final String LETTERS = "abcdefghijklmnopqrstuvw";
    /** One letter per id, so text positions are token positions. */
    private static final Function<int[], String> DECODE = ids -> {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(LETTERS.charAt(id));
        }
        return sb.toString();
    };
    private static final List<int[]> PROMPTS = List.of(
            new int[] {3, 1, 4}, new int[] {1, 5, 9, 2, 6, 5, 3}, new int[] {8}, new int[] {9, 7});

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static ModelConfig[] configs() {
        return new ModelConfig[] {TestModels.gpt2(), TestModels.llamaGqa()};
    }

    @Test
    void cachedAndUncachedDecodingGiveSameTokensAndLogProbs() {
        for (ModelConfig cfg : configs()) {
            Generator gen = new Generator(TestModels.random(cfg, manager, 1));
            SamplingParams cached = SamplingParams.greedy(12);
            List<Generation> a = gen.generate(PROMPTS, cached);
            List<Generation> b = gen.generate(PROMPTS, cached.toBuilder().useCache(false).build());
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertThat(a.get(i).tokens()).as("%s row %d", cfg.architecture(), i)
                        .containsExactly(b.get(i).tokens());
                assertLogProbsClose(a.get(i), b.get(i), 1e-5);
                assertThat(a.get(i).finishReason()).isEqualTo(FinishReason.LENGTH);
            }
        }
    }

    @Test
    void logProbsAreTheModelsTemperatureOneLogProbsOfTheSequence() {
        CausalLM model = TestModels.random(TestModels.llamaGqa(), manager, 2);
        int[] prompt = PROMPTS.get(1);
        Generation g = new Generator(model).generate(prompt,
                SamplingParams.builder().temperature(0.7).topK(5).maxNewTokens(6).seed(3).build());
        int[] all = new int[prompt.length + g.length()];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(g.tokens(), 0, all, prompt.length, g.length());
        // full forward over prompt + output; log p(all[t+1] | all[..t]) at the generated positions
        var ids = manager.create(all, new Shape(1, all.length));
        int[] targets = new int[all.length];
        System.arraycopy(all, 1, targets, 0, all.length - 1);
        float[] lp = LogProbs.tokenLogProbs(model.forward(ids, null, false).logits(),
                manager.create(targets, new Shape(1, all.length))).toFloatArray();
        for (int i = 0; i < g.length(); i++) {
            assertThat((double) g.logProbs()[i]).isCloseTo(lp[prompt.length - 1 + i], within(1e-4));
        }
    }

    @Test
    void batchGivesSameOutputAsOnePromptAtATimeGreedy() {
        for (ModelConfig cfg : configs()) {
            Generator gen = new Generator(TestModels.random(cfg, manager, 3), DECODE);
            // an EOS that row 0 produces early, so rows finish at different steps
            int eos = gen.generate(PROMPTS.get(0), SamplingParams.greedy(3)).tokens()[2];
            SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(10)
                    .eosTokenId(eos).build();
            assertBatchEqualsSingles(gen, p);
        }
    }

    @Test
    void batchGivesSameOutputAsOnePromptAtATimeSeededSampling() {
        for (ModelConfig cfg : configs()) {
            Generator gen = new Generator(TestModels.random(cfg, manager, 4), DECODE);
            SamplingParams p = SamplingParams.builder().temperature(0.9).topK(12).topP(0.95)
                    .repetitionPenalty(1.2).maxNewTokens(10).eosTokenId(0).seed(42).build();
            assertBatchEqualsSingles(gen, p);
        }
    }

    private void assertBatchEqualsSingles(Generator gen, SamplingParams p) {
        long[] seeds = {11, 12, 13, 14};
        List<Generation> batch = gen.generate(PROMPTS, seeds, p, null);
        List<Generation> reversed = gen.generate(List.of(PROMPTS.get(3), PROMPTS.get(2),
                PROMPTS.get(1), PROMPTS.get(0)), new long[] {14, 13, 12, 11}, p, null);
        for (int i = 0; i < PROMPTS.size(); i++) {
            Generation alone = gen.generate(List.of(PROMPTS.get(i)), new long[] {seeds[i]}, p, null)
                    .get(0);
            for (Generation g : new Generation[] {batch.get(i), reversed.get(3 - i)}) {
                assertThat(g.tokens()).as("row %d", i).containsExactly(alone.tokens());
                assertThat(g.text()).isEqualTo(alone.text());
                assertThat(g.finishReason()).isEqualTo(alone.finishReason());
                assertLogProbsClose(g, alone, 1e-5);
            }
        }
    }

    @Test
    void sameSeedReproducesAndOtherSeedDiffers() {
        Generator gen = new Generator(TestModels.random(TestModels.gpt2(), manager, 5));
        SamplingParams p = SamplingParams.builder().temperature(1.5).maxNewTokens(16).seed(7).build();
        int[] a = gen.generate(PROMPTS.get(0), p).tokens();
        assertThat(gen.generate(PROMPTS.get(0), p).tokens()).containsExactly(a);
        assertThat(gen.generate(PROMPTS.get(0), p.toBuilder().seed(8).build()).tokens())
                .isNotEqualTo(a);
    }

    @Test
    void topKOneEqualsGreedy() {
        Generator gen = new Generator(TestModels.random(TestModels.llamaGqa(), manager, 6));
        List<Generation> greedy = gen.generate(PROMPTS, SamplingParams.greedy(10));
        List<Generation> top1 = gen.generate(PROMPTS,
                SamplingParams.builder().temperature(2).topK(1).maxNewTokens(10).seed(9).build());
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(top1.get(i).tokens()).containsExactly(greedy.get(i).tokens());
        }
    }

    @Test
    void eosEndsARowAndMinNewTokensSuppressesIt() {
        Generator gen = new Generator(TestModels.random(TestModels.gpt2(), manager, 7), DECODE);
        int first = gen.generate(PROMPTS.get(1), SamplingParams.greedy(1)).tokens()[0];
        SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(8)
                .eosTokenId(first).build();
        Generation stopped = gen.generate(PROMPTS.get(1), p);
        assertThat(stopped.tokens()).containsExactly(first);
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.EOS);
        assertThat(stopped.text()).isEmpty();

        Generation held = gen.generate(PROMPTS.get(1), p.toBuilder().minNewTokens(4).build());
        assertThat(held.length()).isGreaterThanOrEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(held.tokens()[i]).isNotEqualTo(first);
        }
    }

    @Test
    void stopTokenIdAndStopStringEndARow() {
        Generator gen = new Generator(TestModels.random(TestModels.llamaGqa(), manager, 8), DECODE);
        Generation full = gen.generate(PROMPTS.get(0), SamplingParams.greedy(12));
        String stop = full.text().substring(4, 6);
        int at = full.text().indexOf(stop);
        Generation cut = gen.generate(PROMPTS.get(0), SamplingParams.builder().temperature(0)
                .maxNewTokens(12).stopStrings(List.of("not-there", stop)).build());
        assertThat(cut.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(cut.text()).isEqualTo(full.text().substring(0, at));
        assertThat(cut.length()).isEqualTo(at + stop.length());

        int stopId = full.tokens()[5];
        Generation byId = gen.generate(PROMPTS.get(0), SamplingParams.builder().temperature(0)
                .maxNewTokens(12).stopTokenIds(List.of(stopId)).build());
        int firstAt = 0;
        while (full.tokens()[firstAt] != stopId) {
            firstAt++;
        }
        assertThat(byId.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(byId.length()).isEqualTo(firstAt + 1);
        assertThat(byId.text()).isEqualTo(full.text().substring(0, firstAt));
    }

    @Test
    void listenerSeesEveryTokenInOrder() {
        Generator gen = new Generator(TestModels.random(TestModels.gpt2(), manager, 9));
        List<List<Integer>> seen = List.of(new ArrayList<>(), new ArrayList<>());
        List<Generation> finished = new ArrayList<>(List.of(
                new Generation(new int[0], new float[0], null, FinishReason.LENGTH),
                new Generation(new int[0], new float[0], null, FinishReason.LENGTH)));
        List<Generation> out = gen.generate(PROMPTS.subList(0, 2), null, SamplingParams.greedy(5),
                new GenerationListener() {
                    @Override
                    public void onToken(int row, int index, int token) {
                        assertThat(index).isEqualTo(seen.get(row).size());
                        seen.get(row).add(token);
                    }

                    @Override
                    public void onFinish(int row, Generation g) {
                        finished.set(row, g);
                    }
                });
        for (int r = 0; r < 2; r++) {
            assertThat(seen.get(r).stream().mapToInt(Integer::intValue).toArray())
                    .containsExactly(out.get(r).tokens());
            assertThat(finished.get(r)).isSameAs(out.get(r));
        }
    }

    @Test
    void liveArrayCountStaysFlatWhileDecodingAndReturnsToStart() {
        Generator gen = new Generator(TestModels.random(TestModels.llamaGqa(), manager, 11));
        gen.generate(PROMPTS, SamplingParams.greedy(2)); // builds the RoPE tables once
        int before = manager.getManagedArrays().size();
        List<Integer> during = new ArrayList<>();
        gen.generate(PROMPTS, null, SamplingParams.greedy(20), (row, index, token) -> {
            if (row == 0) {
                during.add(manager.getManagedArrays().size());
            }
        });
        // from the second step on, only the (replaced) cache arrays live between steps
        // (the count includes the sub-manager's arrays: the 2 x layers cache tensors are there)
        assertThat(during.get(1)).isGreaterThanOrEqualTo(before + 2 * 2);
        assertThat(during.subList(1, during.size())).containsOnly(during.get(1));
        assertThat(manager.getManagedArrays()).hasSize(before);
    }

    @Test
    void tooLongRequestAndBadIdsAreUserErrors() {
        Generator gen = new Generator(TestModels.random(TestModels.gpt2(), manager, 10));
        assertThatThrownBy(() -> gen.generate(PROMPTS, SamplingParams.greedy(30)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("context_length 32").hasMessageContaining("7 tokens");
        assertThatThrownBy(() -> gen.generate(new int[] {1, 23}, SamplingParams.greedy(2)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("23");
        assertThatThrownBy(() -> gen.generate(new int[] {1},
                SamplingParams.builder().stopStrings(List.of("x")).build()))
                .hasMessageContaining("decoder");
    }

    private static void assertLogProbsClose(Generation a, Generation b, double tol) {
        assertThat(a.logProbs()).hasSameSizeAs(b.logProbs());
        for (int t = 0; t < a.logProbs().length; t++) {
            assertThat((double) a.logProbs()[t]).isCloseTo(b.logProbs()[t], within(tol));
        }
    }
}
