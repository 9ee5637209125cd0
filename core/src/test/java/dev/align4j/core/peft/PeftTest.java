package dev.align4j.core.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import dev.align4j.core.UserInputException;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

class PeftTest {

    private static final Logger LOG = LogManager.getLogger(PeftTest.class);

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Applies cfg and checks the returned names, and that exactly those arrays require gradients. */
    private Set<String> applyAndCheckFlags(CausalLM model, PeftConfig cfg) {
        Map<String, Parameter> trainable = Peft.apply(model, cfg, manager);
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            boolean train = trainable.containsKey(e.getKey());
            assertThat(p.requiresGradient()).as(e.getKey()).isEqualTo(train);
            if (p.isInitialized()) {
                assertThat(p.getArray().hasGradient()).as(e.getKey()).isEqualTo(train);
            }
        }
        assertThat(Peft.trainableParameters(model).keySet()).isEqualTo(trainable.keySet());
        return new TreeSet<>(trainable.keySet());
    }

    @Test
    void fullTrainsEveryParameter() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        Set<String> names = applyAndCheckFlags(model, PeftConfig.of(PeftMethod.FULL));
        assertThat(names).isEqualTo(model.namedParameters().keySet());
        assertThat(Peft.trainableParameterCount(model)).isEqualTo(Peft.parameterCount(model));
    }

    @Test
    void freezeTrainsLastBlocksWithFinalNormAndUntiedHead() {
        CausalLM llama = TinyModels.random(TinyModels.llama(), manager, 1);
        Set<String> names = applyAndCheckFlags(llama, PeftConfig.freeze(1, List.of()));
        Set<String> want = new TreeSet<>(Set.of("norm.weight", "lm_head.weight"));
        llama.namedParameters().keySet().stream().filter(n -> n.startsWith("blocks.1."))
                .forEach(want::add);
        assertThat(names).isEqualTo(want);
        assertThat(names).noneMatch(n -> n.startsWith("blocks.0.") || n.startsWith("embed"));

        // tied GPT-2 head: no lm_head; modules add to the blocks
        CausalLM gpt2 = TinyModels.random(TinyModels.gpt2(), manager, 1);
        names = applyAndCheckFlags(gpt2, PeftConfig.freeze(1, List.of("embed_positions",
                "blocks.0.attn.q_proj")));
        assertThat(names).contains("norm.weight", "norm.bias", "embed_positions.weight",
                "blocks.0.attn.q_proj.weight", "blocks.0.attn.q_proj.bias",
                "blocks.1.mlp.down_proj.weight");
        assertThat(names).doesNotContain("embed_tokens.weight", "blocks.0.attn.k_proj.weight");
        // modules alone
        CausalLM g2 = TinyModels.random(TinyModels.gpt2(), manager, 1);
        assertThat(applyAndCheckFlags(g2, PeftConfig.freeze(0, List.of("mlp"))))
                .allMatch(n -> n.matches("blocks\\.[01]\\.mlp\\..*")).hasSize(8);
    }

    @Test
    void freezeRejectsMoreLayersThanTheModelHasAndUnknownModules() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        assertThatThrownBy(() -> Peft.apply(model, PeftConfig.freeze(3, List.of()), manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("freeze_trainable_layers").hasMessageContaining("3");
        assertThatThrownBy(() -> Peft.apply(model, PeftConfig.freeze(0, List.of("mlpx")), manager))
                .isInstanceOf(UserInputException.class).hasMessageContaining("'mlpx'");
    }

    @Test
    void bitfitTrainsEveryBiasIncludingLayerNorm() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        Set<String> names = applyAndCheckFlags(model, PeftConfig.of(PeftMethod.BITFIT));
        // per block: q, k, v, o, up, down and the two LayerNorms; plus the final LayerNorm
        assertThat(names).hasSize(2 * 8 + 1).allMatch(n -> n.endsWith(".bias"))
                .contains("norm.bias", "blocks.0.attn_norm.bias", "blocks.1.attn.v_proj.bias");
    }

    @Test
    void bitfitOnAModelWithoutBiasesIsAClearError() {
        CausalLM model = TinyModels.random(TinyModels.llama(), manager, 1);
        assertThatThrownBy(() -> Peft.apply(model, PeftConfig.of(PeftMethod.BITFIT), manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("bitfit").hasMessageContaining("no")
                .hasMessageContaining("bias");
    }

    @Test
    void loraTrainsOnlyTheAdaptersOfTargetedLayers() {
        ModelConfig cfg = TinyModels.gpt2();
        CausalLM model = TinyModels.random(cfg, manager, 1);
        Set<String> names = applyAndCheckFlags(model,
                PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of("q_proj", "v_proj")));
        assertThat(names).containsExactlyInAnyOrder(
                "blocks.0.attn.q_proj.lora.lora_A", "blocks.0.attn.q_proj.lora.lora_B",
                "blocks.0.attn.v_proj.lora.lora_A", "blocks.0.attn.v_proj.lora.lora_B",
                "blocks.1.attn.q_proj.lora.lora_A", "blocks.1.attn.q_proj.lora.lora_B",
                "blocks.1.attn.v_proj.lora.lora_A", "blocks.1.attn.v_proj.lora.lora_B");
        Map<String, Parameter> p = model.namedParameters();
        assertThat(p.get("blocks.0.attn.q_proj.lora.lora_A").getArray().getShape())
                .isEqualTo(new Shape(4, 32));
        assertThat(p.get("blocks.0.attn.q_proj.lora.lora_B").getArray().getShape())
                .isEqualTo(new Shape(32, 4));
        // A: Kaiming-uniform bound 1/sqrt(in); B: zeros
        NDArray a = p.get("blocks.0.attn.q_proj.lora.lora_A").getArray();
        assertThat(a.abs().max().getFloat()).isBetween(0.05f, (float) (1 / Math.sqrt(32)));
        assertThat(p.get("blocks.0.attn.q_proj.lora.lora_B").getArray().abs().max().getFloat())
                .isEqualTo(0f);
        assertThat(Peft.trainableParameterCount(model)).isEqualTo(2L * 2 * (4 * 32 + 32 * 4));
        assertThatThrownBy(() -> Peft.apply(model, PeftConfig.of(PeftMethod.LORA), manager))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void allLinearTargetsEveryLinearLayerButTheHead() {
        CausalLM model = TinyModels.random(TinyModels.llama(), manager, 1);
        Peft.apply(model, PeftConfig.lora(PeftMethod.LORA, 2, 4, List.of("all-linear")), manager);
        Set<String> layers = Lora.adapters(model).keySet();
        assertThat(layers).hasSize(2 * 7).doesNotContain("lm_head");
        assertThat(layers.stream().map(n -> n.substring(n.lastIndexOf('.') + 1))
                .collect(Collectors.toSet())).containsExactlyInAnyOrder("q_proj", "k_proj",
                "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    }

    /** LoRA A after a seeded apply, with {@code draws} numbers taken from the engine RNG before it. */
    private float[] seededLoraA(long seed, int draws) {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        manager.randomUniform(0, 1, new Shape(draws)).close(); // whatever ran before in this JVM
        Map<String, Parameter> trainable = Peft.apply(model,
                PeftConfig.lora(PeftMethod.LORA, 2, 4, List.of("all-linear")), manager, seed);
        return trainable.entrySet().stream().filter(e -> e.getKey().endsWith("lora_A")).findFirst()
                .orElseThrow().getValue().getArray().toFloatArray();
    }

    @Test
    void seededApplyDrawsTheSameAdaptersWhateverRanBefore() {
        float[] a = seededLoraA(7, 3);
        assertThat(seededLoraA(7, 1000)).containsExactly(a);
        assertThat(seededLoraA(8, 3)).isNotEqualTo(a);
    }

    @Test
    void unknownTargetIsRejectedWithTheLayerNames() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        assertThatThrownBy(() -> Peft.apply(model,
                PeftConfig.lora(PeftMethod.LORA, 2, 4, List.of("q_proj", "query")), manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("lora_target_modules: 'query'")
                .hasMessageContaining("q_proj").hasMessageContaining("down_proj");
        assertThat(Lora.adapters(model)).isEmpty();
    }

    @Test
    void loraAtStepZeroReproducesTheBaseLogitsExactly() {
        for (ModelConfig cfg : List.of(TinyModels.gpt2(), TinyModels.llama())) {
            CausalLM model = TinyModels.random(cfg, manager, 2);
            float[] base = TinyModels.logits(model, manager).toFloatArray();
            Peft.apply(model, PeftConfig.of(PeftMethod.LORA).withLoraDropout(0.1), manager);
            assertThat(TinyModels.logits(model, manager).toFloatArray()).containsExactly(base);
            // with adapter dropout active the update is still B (...) = 0
            assertThat(model.forward(TinyModels.ids(manager), null, true).logits().toFloatArray())
                    .containsExactly(base);
        }
    }

    @Test
    void gradientStepsChangeOnlyTrainableParameters() {
        List<PeftConfig> configs = List.of(PeftConfig.of(PeftMethod.FULL),
                PeftConfig.freeze(1, List.of()), PeftConfig.of(PeftMethod.BITFIT),
                PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of("q_proj", "mlp.down_proj")),
                PeftConfig.lora(PeftMethod.QLORA, 4, 8, List.of("all-linear")));
        for (PeftConfig cfg : configs) {
            ModelConfig mc = cfg.method() == PeftMethod.BITFIT ? TinyModels.gpt2() : TinyModels.llama();
            CausalLM model = TinyModels.random(mc, manager, 3);
            Map<String, Parameter> trainable = Peft.apply(model, cfg, manager);
            Map<String, float[]> before = TinyModels.snapshot(model);
            Map<String, float[]> nf4Before = nf4Weights(model);
            // two steps: LoRA's A only gets a gradient once B is no longer zero
            float l0 = TinyModels.sgdStep(model, trainable, manager, 0.05f);
            float l1 = TinyModels.sgdStep(model, trainable, manager, 0.05f);
            LOG.info("{}: loss {} -> {}", cfg.method(), l0, l1);
            Map<String, float[]> after = TinyModels.snapshot(model);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            for (String name : before.keySet()) {
                boolean same = Arrays.equals(before.get(name), after.get(name));
                if (trainable.containsKey(name) && name.endsWith("k_proj.bias")) {
                    // a key bias adds q.b_k to every score of a query alike, which softmax
                    // ignores: its gradient is zero up to rounding, so it may or may not move
                    continue;
                }
                assertThat(same).as("%s %s changed", cfg.method(), name)
                        .isEqualTo(!trainable.containsKey(name));
            }
            Map<String, float[]> nf4After = nf4Weights(model);
            for (String name : nf4Before.keySet()) {
                assertThat(nf4After.get(name)).as(name).containsExactly(nf4Before.get(name));
            }
            assertThat(nf4Before.isEmpty()).isEqualTo(cfg.method() != PeftMethod.QLORA);
        }
    }

    private static Map<String, float[]> nf4Weights(CausalLM model) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        Lora.adapters(model).forEach((layer, a) -> {
            if (a.quantizedBase() != null) {
                out.put(layer, a.quantizedBase().dequantize(ai.djl.ndarray.types.DataType.FLOAT32)
                        .toFloatArray());
            }
        });
        return out;
    }

    @Test
    void qloraForwardIsCloseToLoraOnTheDenseWeights() {
        ModelConfig cfg = TinyModels.llama();
        CausalLM dense = TinyModels.fresh(cfg, manager, 4);
        CausalLM quant = TinyModels.fresh(cfg, manager, 4);
        long denseBytes = Peft.weightBytes(dense);
        List<String> all = List.of("all-linear");
        Peft.apply(dense, PeftConfig.lora(PeftMethod.LORA, 4, 8, all), manager);
        Peft.apply(quant, PeftConfig.lora(PeftMethod.QLORA, 4, 8, all), manager);
        TinyModels.randomizeAdapters(dense, 5);
        TinyModels.randomizeAdapters(quant, 5);
        float[] lora = TinyModels.logits(dense, manager).toFloatArray();
        float[] qlora = TinyModels.logits(quant, manager).toFloatArray();
        Adapters.setEnabled(dense, false);
        float[] base = TinyModels.logits(dense, manager).toFloatArray();
        Adapters.setEnabled(dense, true);
        double rel = meanAbsDiff(lora, qlora) / meanAbsDiff(lora, mean(lora));
        double moved = meanAbsDiff(lora, base) / meanAbsDiff(lora, mean(lora));
        LOG.info("QLoRA vs LoRA logits: mean |diff| / mean |logit - mean| = {} (adapters moved "
                + "them by {})", rel, moved);
        // each weight is off by ~7% of its block's spread (Nf4Test); the logits follow
        assertThat(rel).isGreaterThan(0).isLessThan(0.15);
        assertThat(moved).isGreaterThan(2 * rel);

        // the dense weights of the targeted layers are gone; NF4 copies hold ~1/8 of their bytes
        assertThat(quant.namedParameters().get("blocks.0.attn.q_proj.weight").isInitialized())
                .isFalse();
        long linearBytes = Lora.adapters(dense).keySet().stream().mapToLong(n ->
                dense.namedParameters().get(n + ".weight").getArray().size() * 4).sum();
        long adapterBytes = Peft.trainableParameterCount(dense) * 4;
        assertThat(Peft.weightBytes(dense)).isEqualTo(denseBytes + adapterBytes);
        long quantBytes = Peft.weightBytes(quant) - (denseBytes - linearBytes) - adapterBytes;
        LOG.info("linear weights {} bytes dense, {} bytes NF4 (with the 2 KiB table)", linearBytes,
                quantBytes);
        assertThat(quantBytes).isGreaterThan(linearBytes / 8).isLessThan(linearBytes / 4);
        assertThat(Peft.parameterCount(quant)).isEqualTo(Peft.parameterCount(dense));
    }

    @Test
    void qloraEqualsLoraOnTheDequantizedWeights() {
        ModelConfig cfg = TinyModels.gpt2();
        CausalLM quant = TinyModels.random(cfg, manager, 6);
        CausalLM dense = TinyModels.random(cfg, manager, 6);
        List<String> targets = List.of("attn.q_proj", "mlp.up_proj");
        Peft.apply(quant, PeftConfig.lora(PeftMethod.QLORA, 4, 8, targets), manager);
        // the same weights, rounded to NF4 on the host by Nf4.quantize, then LoRA on them
        for (String layer : Lora.adapters(quant).keySet()) {
            NDArray w = dense.namedParameters().get(layer + ".weight").getArray();
            w.set(Nf4.quantize(w.toFloatArray(), w.getShape(), 64, true).dequantize());
        }
        Peft.apply(dense, PeftConfig.lora(PeftMethod.LORA, 4, 8, targets), manager);
        TinyModels.randomizeAdapters(quant, 7);
        TinyModels.randomizeAdapters(dense, 7);
        NDArray q = TinyModels.logits(quant, manager);
        NDArray d = TinyModels.logits(dense, manager);
        assertThat(q.sub(d).abs().max().getFloat()).isLessThan(1e-4f);
    }

    @Test
    void qloraForwardLeavesNoArraysOnTheModelManager() {
        CausalLM model = TinyModels.random(TinyModels.llama(), manager, 8);
        Peft.apply(model, PeftConfig.lora(PeftMethod.QLORA, 2, 4, List.of("all-linear")), manager);
        TinyModels.logits(model, manager); // first call builds the RoPE tables
        int before = manager.getManagedArrays().size();
        for (int i = 0; i < 3; i++) {
            try (NDManager step = manager.newSubManager()) {
                TinyModels.logits(model, step);
            }
        }
        assertThat(manager.getManagedArrays()).hasSize(before);
    }

    @Test
    void loraDropoutActsOnlyWhileTraining() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 9);
        Peft.apply(model, PeftConfig.of(PeftMethod.LORA).withLoraDropout(0.5), manager);
        TinyModels.randomizeAdapters(model, 10);
        NDArray ids = TinyModels.ids(manager);
        float[] eval1 = model.forward(ids, null, false).logits().toFloatArray();
        float[] eval2 = model.forward(ids, null, false).logits().toFloatArray();
        float[] train = model.forward(ids, null, true).logits().toFloatArray();
        assertThat(eval1).containsExactly(eval2);
        assertThat(train).isNotEqualTo(eval1);
    }

    private static float[] mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        float[] out = new float[a.length];
        Arrays.fill(out, (float) (s / a.length));
        return out;
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

}
