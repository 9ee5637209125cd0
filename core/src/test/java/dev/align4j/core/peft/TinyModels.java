package dev.align4j.core.peft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;
import dev.align4j.core.model.ModelConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Tiny random models and a hand-rolled SGD step for the PEFT tests. */
final class TinyModels {

    static final int[] TOKENS = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};

    private TinyModels() {
    }

    /** GPT-2 layout, d=32, 2 blocks, biases, tied head. */
    static ModelConfig gpt2() {
        return ModelConfig.gpt2(29, 16, 32, 2, 2);
    }

    /** Llama layout, d=32, 2 blocks, GQA, no biases, untied head. */
    static ModelConfig llama() {
        return ModelConfig.llama(29, 16, 32, 2, 4, 2);
    }

    /** A freshly initialised model (normal init, std 0.02), reproducible from the seed. */
    static CausalLM fresh(ModelConfig cfg, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        CausalLM model = new CausalLM(cfg);
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    /** Every parameter random (norm gains around 1), reproducible from the seed. */
    static CausalLM random(ModelConfig cfg, NDManager manager, long seed) {
        return dev.align4j.core.model.TestModels.random(cfg, manager, seed);
    }

    /** Gives every LoRA B (and A) random values, as if the adapters had trained. */
    static void randomizeAdapters(CausalLM model, long seed) {
        Random r = new Random(seed);
        for (LoraAdapter a : Lora.adapters(model).values()) {
            for (Parameter p : a.ownParameters().values()) {
                float[] v = new float[(int) p.getArray().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.2 * r.nextGaussian());
                }
                p.getArray().set(v);
            }
        }
    }

    static NDArray ids(NDManager manager) {
        return manager.create(TOKENS, new Shape(1, TOKENS.length));
    }

    static NDArray logits(CausalLM model, NDManager manager) {
        return model.forward(ids(manager), null, false).logits();
    }

    /** Host copies of every live parameter array. */
    static Map<String, float[]> snapshot(CausalLM model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (p.isInitialized()) {
                out.put(name, p.getArray().toFloatArray());
            }
        });
        return out;
    }

    /**
     * One plain SGD step p -= lr * grad on next-token cross-entropy over {@link #TOKENS}, then the
     * gradients are zeroed (they accumulate across backward calls).
     */
    static float sgdStep(CausalLM model, Map<String, Parameter> trainable, NDManager manager,
            float lr) {
        float loss;
        try (NDManager step = manager.newSubManager()) {
            int t = TOKENS.length - 1;
            int[] in = new int[t];
            int[] target = new int[t];
            System.arraycopy(TOKENS, 0, in, 0, t);
            System.arraycopy(TOKENS, 1, target, 0, t);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(step.create(in, new Shape(1, t)), null, true)
                        .logits();
                NDArray l = LogProbs.crossEntropy(logits, step.create(target, new Shape(1, t)),
                        step.ones(new Shape(1, t)));
                gc.backward(l);
                loss = l.getFloat();
            }
            for (Parameter p : trainable.values()) {
                NDArray grad = p.getArray().getGradient();
                p.getArray().subi(grad.mul(lr));
                grad.subi(grad);
            }
        }
        return loss;
    }
}
