package dev.align4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

class CausalLMTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static ModelConfig gpt2() {
        return ModelConfig.gpt2(23, 16, 16, 2, 2);
    }

    static ModelConfig llamaGqa() {
        return ModelConfig.llama(23, 16, 16, 2, 4, 2);
    }

    static CausalLM randomModel(ModelConfig cfg, NDManager manager, long seed) {
        return TestModels.random(cfg, manager, seed);
    }

    private NDArray ids(int... ids) {
        return manager.create(ids, new Shape(1, ids.length));
    }

    @Test
    void gpt2LogitsMatchNaiveReference() {
        checkAgainstReference(gpt2());
    }

    @Test
    void gpt2TanhGeluUntiedMatchesNaiveReference() {
        ModelConfig g = gpt2();
        checkAgainstReference(new ModelConfig(g.architecture(), g.vocabSize(), g.contextLength(),
                g.dModel(), g.nLayers(), g.nHeads(), g.nKvHeads(), g.ffnHidden(), false, true,
                g.normEps(), g.ropeTheta(), 0, 0.02, Activation.GELU_TANH));
    }

    @Test
    void llamaWithRopeRmsNormSwiGluGqaMatchesNaiveReference() {
        checkAgainstReference(llamaGqa());
    }

    private void checkAgainstReference(ModelConfig cfg) {
        CausalLM model = randomModel(cfg, manager, 7);
        int[] tokens = {3, 1, 4, 1, 5, 9, 2, 6};
        float[] got = model.forward(ids(tokens), null, false).logits().toFloatArray();
        double[][] want = new NaiveReference(model).logits(tokens);
        for (int t = 0; t < tokens.length; t++) {
            for (int v = 0; v < cfg.vocabSize(); v++) {
                assertThat((double) got[t * cfg.vocabSize() + v])
                        .as("t=%d v=%d", t, v)
                        .isCloseTo(want[t][v], within(1e-3 * Math.max(1, Math.abs(want[t][v]))));
            }
        }
    }

    @Test
    void changingATokenChangesNoEarlierOutput() {
        for (ModelConfig cfg : new ModelConfig[] {gpt2(), llamaGqa()}) {
            CausalLM model = randomModel(cfg, manager, 3);
            NDArray a = model.forward(ids(1, 2, 3, 4, 5, 6), null, false).logits();
            NDArray b = model.forward(ids(1, 2, 3, 9, 5, 6), null, false).logits();
            NDArray before = a.get(new NDIndex(":, :3, :"));
            assertThat(before.sub(b.get(new NDIndex(":, :3, :"))).abs().max().getFloat())
                    .isEqualTo(0f);
            assertThat(a.get(new NDIndex(":, 3:, :")).sub(b.get(new NDIndex(":, 3:, :")))
                    .abs().max().getFloat()).isGreaterThan(1e-4f);
        }
    }

    @Test
    void kvCachedDecodingEqualsFullForward() {
        // capacity 0 grows by concatenation; 9 preallocates exactly; 6 overflows mid-sequence and
        // falls back to concatenation
        for (int capacity : new int[] {0, 9, 6}) {
            for (ModelConfig cfg : new ModelConfig[] {gpt2(), llamaGqa()}) {
                kvCachedDecodingEqualsFullForward(cfg, capacity);
            }
        }
    }

    private void kvCachedDecodingEqualsFullForward(ModelConfig cfg, int capacity) {
        CausalLM model = randomModel(cfg, manager, 11);
        int[] tokens = {5, 7, 1, 0, 22, 13, 8, 2, 19};
        NDArray full = model.forward(ids(tokens), null, false).logits();
        try (KvCache cache = new KvCache(cfg.nLayers(), capacity)) {
            // a 4-token prompt, then one token at a time
            NDArray prompt = manager.create(new int[] {5, 7, 1, 0}, new Shape(1, 4));
            NDArray first = model.forward(prompt, null, null, cache, false).logits();
            assertClose(first, full.get(new NDIndex(":, :4, :")), 1e-5);
            for (int i = 4; i < tokens.length; i++) {
                NDArray step = model.forward(manager.create(new int[] {tokens[i]},
                        new Shape(1, 1)), null, null, cache, false).logits();
                assertClose(step, full.get(new NDIndex(":, {}:{}, :", i, i + 1)), 1e-5);
            }
            assertThat(cache.length()).isEqualTo(tokens.length);
        }
    }

    @Test
    void leftPaddedBatchGivesSameLogitsAsUnpadded() {
        for (ModelConfig cfg : new ModelConfig[] {gpt2(), llamaGqa()}) {
            CausalLM model = randomModel(cfg, manager, 5);
            NDArray alone = model.forward(ids(4, 8, 15), null, false).logits();
            NDArray batch = manager.create(new int[] {0, 0, 4, 8, 15, 1, 2, 3, 4, 5}, new Shape(2, 5));
            NDArray mask = manager.create(new int[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 5));
            NDArray pos = manager.create(new long[] {0, 0, 0, 1, 2, 0, 1, 2, 3, 4}, new Shape(2, 5));
            NDArray padded = model.forward(batch, mask, pos, null, false).logits();
            assertClose(padded.get(new NDIndex("0:1, 2:, :")), alone, 1e-5);
        }
    }

    @Test
    void groupedQueryAttentionEqualsMultiHeadWithSharedKvWeights() {
        ModelConfig gqa = llamaGqa();
        ModelConfig mha = ModelConfig.llama(23, 16, 16, 2, 4, 4);
        CausalLM small = randomModel(gqa, manager, 9);
        CausalLM big = randomModel(mha, manager, 10);
        Map<String, Parameter> src = small.namedParameters();
        int hd = gqa.headDim();
        for (Map.Entry<String, Parameter> e : big.namedParameters().entrySet()) {
            NDArray from = src.get(e.getKey()).getArray();
            if (e.getKey().contains("k_proj") || e.getKey().contains("v_proj")) {
                // each kv head's rows, repeated for the query heads that share it
                from = from.reshape(gqa.nKvHeads(), hd, gqa.dModel())
                        .repeat(0, gqa.nHeads() / gqa.nKvHeads())
                        .reshape(gqa.nHeads() * hd, gqa.dModel());
            }
            e.getValue().getArray().set(from.toFloatArray());
        }
        NDArray x = ids(2, 3, 5, 7, 11, 13);
        assertClose(small.forward(x, null, false).logits(), big.forward(x, null, false).logits(),
                1e-5);
    }

    @Test
    void parameterCountsEqualClosedForm() {
        for (ModelConfig cfg : new ModelConfig[] {gpt2(), llamaGqa(),
                ModelConfig.preset("small", 8192)}) {
            CausalLM model = new CausalLM(cfg);
            long count = model.namedParameters().values().stream()
                    .mapToLong(p -> p.getShape().size()).sum();
            assertThat(count).as(cfg.toString()).isEqualTo(closedForm(cfg));
        }
    }

    /** Counts from the layer definitions, written out independently of the module tree. */
    static long closedForm(ModelConfig c) {
        long d = c.dModel();
        long v = c.vocabSize();
        long f = c.ffnHidden();
        long kv = (long) c.nKvHeads() * c.headDim();
        long b = c.bias() ? 1 : 0;
        boolean llama = c.architecture() == Architecture.LLAMA;
        long attn = d * d + 2 * d * kv + d * d + b * (d + 2 * kv + d);
        long mlp = (llama ? 3 * d * f : 2 * d * f) + b * ((llama ? 2 : 1) * f + d);
        long norms = llama ? 2 * d : 4 * d;
        long perLayer = attn + mlp + norms;
        long embed = v * d + (llama ? 0 : (long) c.contextLength() * d);
        long head = c.tieWordEmbeddings() ? 0 : v * d;
        return embed + c.nLayers() * perLayer + (llama ? d : 2 * d) + head;
    }

    @Test
    void logProbsMatchNaiveSoftmax() {
        NDArray logits = manager.create(new float[] {1, 2, 3, 0, 0, 0, -1, 5, 2, 1, 1, 1},
                new Shape(2, 2, 3));
        NDArray targets = manager.create(new int[] {2, 0, 1, 2}, new Shape(2, 2));
        float[] lp = LogProbs.tokenLogProbs(logits, targets).toFloatArray();
        double z0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        double z2 = Math.log(Math.exp(-1) + Math.exp(5) + Math.exp(2));
        assertThat((double) lp[0]).isCloseTo(3 - z0, within(1e-6));
        assertThat((double) lp[1]).isCloseTo(-Math.log(3), within(1e-6));
        assertThat((double) lp[2]).isCloseTo(5 - z2, within(1e-6));
        assertThat((double) lp[3]).isCloseTo(-Math.log(3), within(1e-6));
        NDArray mask = manager.create(new int[] {1, 0, 1, 1}, new Shape(2, 2));
        float[] sums = LogProbs.maskedSum(LogProbs.tokenLogProbs(logits, targets), mask)
                .toFloatArray();
        assertThat((double) sums[0]).isCloseTo(3 - z0, within(1e-6));
        assertThat((double) sums[1]).isCloseTo(5 - z2 - Math.log(3), within(1e-6));
        double ce = -((3 - z0) + (5 - z2) - Math.log(3)) / 3;
        assertThat((double) LogProbs.crossEntropy(logits, targets, mask).getFloat())
                .isCloseTo(ce, within(1e-6));
    }

    @Test
    void scalarHeadStartsAtZeroAndReadsLastRealToken() {
        ScalarHead head = new ScalarHead(4);
        head.initialize(manager, DataType.FLOAT32);
        NDArray hidden = manager.randomNormal(new Shape(2, 3, 4));
        assertThat(head.forward(hidden).abs().max().getFloat()).isEqualTo(0f);
        NDArray values = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray mask = manager.create(new int[] {1, 1, 0, 0, 1, 1}, new Shape(2, 3));
        assertThat(ScalarHead.atLastToken(values, mask).toFloatArray()).containsExactly(2f, 6f);
    }

    static void assertClose(NDArray a, NDArray b, double tol) {
        assertThat(a.getShape()).isEqualTo(b.getShape());
        assertThat((double) a.sub(b).abs().max().getFloat()).isLessThanOrEqualTo(tol);
    }
}
