package dev.align4j.core.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import dev.align4j.core.model.CausalLM;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class LoraTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static float maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void mergeMatchesTheAdapterAndUnmergeRestoresTheBaseWeights() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        Peft.apply(model, PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of("all-linear")), manager);
        TinyModels.randomizeAdapters(model, 2);
        Map<String, float[]> base = TinyModels.snapshot(model);
        NDArray adapted = TinyModels.logits(model, manager);

        Lora.merge(model);
        assertThat(Lora.adapters(model).values()).allMatch(a -> a.isMerged() && !a.enabled());
        // the weight now holds W + (alpha/r) B A, written out here with plain loops
        LoraAdapter q0 = Lora.adapters(model).get("blocks.0.attn.q_proj");
        float[] want = mergedByHand(base.get("blocks.0.attn.q_proj.weight"),
                base.get("blocks.0.attn.q_proj.lora.lora_A"),
                base.get("blocks.0.attn.q_proj.lora.lora_B"), 32, 32, 4, 2.0f);
        float[] got = model.namedParameters().get("blocks.0.attn.q_proj.weight").getArray()
                .toFloatArray();
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).isLessThan(1e-5f);
        }
        assertThat(q0.scaling()).isEqualTo(2.0);
        assertThat(maxAbsDiff(TinyModels.logits(model, manager), adapted)).isLessThan(1e-4f);
        assertThatThrownBy(() -> Adapters.setEnabled(model, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unmerge");
        assertThatThrownBy(() -> Lora.merge(model)).isInstanceOf(IllegalStateException.class);

        Lora.unmerge(model);
        Map<String, float[]> restored = TinyModels.snapshot(model);
        for (Map.Entry<String, float[]> e : base.entrySet()) {
            float[] b = e.getValue();
            float[] r = restored.get(e.getKey());
            for (int i = 0; i < b.length; i++) {
                assertThat(Math.abs(b[i] - r[i])).as(e.getKey()).isLessThanOrEqualTo(1e-6f);
            }
        }
        assertThat(maxAbsDiff(TinyModels.logits(model, manager), adapted)).isLessThan(1e-4f);
    }

    private static float[] mergedByHand(float[] w, float[] a, float[] b, int out, int in, int r,
            float scale) {
        float[] m = w.clone();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += b[o * r + k] * a[k * in + i];
                }
                m[o * in + i] += (float) (scale * s);
            }
        }
        return m;
    }

    @Test
    void qloraMergeGivesADenseWeightAndUnmergeReturnsToNf4() {
        CausalLM model = TinyModels.random(TinyModels.llama(), manager, 3);
        Peft.apply(model, PeftConfig.lora(PeftMethod.QLORA, 4, 8, List.of("q_proj", "down_proj")),
                manager);
        TinyModels.randomizeAdapters(model, 4);
        float[] adapted = TinyModels.logits(model, manager).toFloatArray();
        long quantBytes = Peft.weightBytes(model);
        Parameter w = model.namedParameters().get("blocks.1.mlp.down_proj.weight");
        assertThat(w.isInitialized()).isFalse();

        Lora.merge(model);
        assertThat(w.isInitialized()).isTrue();
        assertThat(w.getArray().hasGradient()).isFalse();
        LoraAdapter a = Lora.adapters(model).get("blocks.1.mlp.down_proj");
        NDArray want = a.quantizedBase().dequantize(DataType.FLOAT32).add(a.deltaWeight());
        assertThat(maxAbsDiff(w.getArray(), want)).isLessThan(1e-6f);
        assertThat(maxAbsDiff(TinyModels.logits(model, manager),
                manager.create(adapted).reshape(1, TinyModels.TOKENS.length, 29)))
                .isLessThan(1e-4f);
        assertThat(Peft.weightBytes(model)).isGreaterThan(quantBytes);

        Lora.unmerge(model);
        assertThat(w.isInitialized()).isFalse();
        assertThat(Peft.weightBytes(model)).isEqualTo(quantBytes);
        assertThat(TinyModels.logits(model, manager).toFloatArray()).containsExactly(adapted);
    }

    @Test
    void mergeWithoutAdaptersIsAnError() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        assertThatThrownBy(() -> Lora.merge(model)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Adapters.setEnabled(model, false))
                .isInstanceOf(IllegalStateException.class);
    }
}
