package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

class AdamWTest {

    /** loss = 0.5 * sum(p^2), so the gradient is p itself and changes every step. */
    private static void backwardHalfSquare(Map<String, Parameter> params) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Parameter p : params.values()) {
                NDArray l = p.getArray().square().sum().mul(0.5);
                loss = loss == null ? l : loss.add(l);
            }
            gc.backward(loss);
        }
    }

    /**
     * Reference AdamW in double precision, written from the paper's form (m_hat, v_hat), not from
     * the implementation's (folded bias correction): p[i] after {@code steps} steps.
     */
    private static double[] reference(double[] p0, int steps, double lr, double wd, boolean decay) {
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] p = p0.clone();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = p[i];
                if (decay) {
                    p[i] -= lr * wd * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return p;
    }

    @Test
    void matchesHandComputedStepsWithDecoupledDecayOnlyOnMatrices() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("fc.weight", TestParams.param(m, "w", new Shape(1, 2), 1f, -2f));
            params.put("fc.bias", TestParams.param(m, "b", new Shape(2), 0.5f, 3f));
            AdamW opt = new AdamW(params, AdamW.Config.defaults().withWeightDecay(0.1));
            assertThat(opt.decays("fc.weight")).isTrue();
            assertThat(opt.decays("fc.bias")).isFalse();

            backwardHalfSquare(params);
            opt.step(0.1);
            // by hand: decay 1 - 0.1*0.1 = 0.99, first Adam step moves by lr*sign(g):
            // weight [1*0.99 - 0.1, -2*0.99 + 0.1]; bias (no decay) [0.5 - 0.1, 3 - 0.1]
            assertThat(params.get("fc.weight").getArray().toFloatArray())
                    .containsExactly(new float[] {0.89f, -1.88f}, within(1e-6f));
            assertThat(params.get("fc.bias").getArray().toFloatArray())
                    .containsExactly(new float[] {0.4f, 2.9f}, within(1e-6f));
            // gradients were zeroed
            assertThat(params.get("fc.weight").getArray().getGradient().toFloatArray())
                    .containsExactly(0f, 0f);

            backwardHalfSquare(params);
            opt.step(0.1);
            backwardHalfSquare(params);
            opt.step(0.1);
            assertThat(opt.stepCount()).isEqualTo(3);
            assertClose(params.get("fc.weight").getArray(), reference(new double[] {1, -2}, 3, 0.1, 0.1, true));
            assertClose(params.get("fc.bias").getArray(), reference(new double[] {0.5, 3}, 3, 0.1, 0.1, false));
            opt.close();
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> a = Map.of("w", TestParams.param(m, "w", new Shape(2, 1), 1f, -2f));
            Map<String, Parameter> b = Map.of("w", TestParams.param(m, "w", new Shape(2, 1), 1f, -2f));
            try (AdamW optA = new AdamW(a, AdamW.Config.defaults().withWeightDecay(0.01));
                    AdamW optB = new AdamW(b, AdamW.Config.defaults().withWeightDecay(0.01))) {
                for (int i = 0; i < 2; i++) {
                    backwardHalfSquare(a);
                    optA.step(0.05);
                }
                Map<String, NDArray> state = optA.stateDict();
                assertThat(state.keySet()).containsExactly("w.exp_avg", "w.exp_avg_sq", "step");
                optB.loadStateDict(state);
                AdamW.copy("w", a.get("w").getArray(), b.get("w").getArray());
                assertThat(optB.stepCount()).isEqualTo(2);
                backwardHalfSquare(a);
                optA.step(0.05);
                backwardHalfSquare(b);
                optB.step(0.05);
                assertThat(b.get("w").getArray().toFloatArray())
                        .containsExactly(a.get("w").getArray().toFloatArray());
                assertThat(b.get("w").getArray().hasGradient()).isTrue();
            }
        }
    }

    @Test
    void defaultDecayRuleExcludesBiasesNormsAndEmbeddings() {
        var rule = AdamW.DEFAULT_DECAY;
        assertThat(rule.test("blocks.0.attn.q_proj.weight", new Shape(4, 4))).isTrue();
        assertThat(rule.test("lm_head.weight", new Shape(8, 4))).isTrue();
        assertThat(rule.test("blocks.0.attn.q_proj.bias", new Shape(4))).isFalse();
        assertThat(rule.test("blocks.0.ln_1.weight", new Shape(4))).isFalse();
        assertThat(rule.test("wte.weight", new Shape(8, 4))).isFalse();
        assertThat(rule.test("wpe.weight", new Shape(8, 4))).isFalse();
        assertThat(rule.test("model.embed_tokens.weight", new Shape(8, 4))).isFalse();
        assertThat(rule.test("blocks.0.post_attention_layernorm.weight", new Shape(1, 4))).isFalse();
    }

    private static void assertClose(NDArray actual, double[] expected) {
        float[] a = actual.toFloatArray();
        assertThat(a).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d", i).isCloseTo(expected[i], within(2e-6));
        }
    }
}
