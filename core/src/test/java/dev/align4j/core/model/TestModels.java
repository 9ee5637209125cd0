package dev.align4j.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import java.util.Map;
import java.util.Random;

/** Tiny random models for core's tests (one place, so every test means the same by "random model"). */
public final class TestModels {

    private TestModels() {}

    public static ModelConfig gpt2() {
        return ModelConfig.gpt2(23, 32, 16, 2, 2);
    }

    public static ModelConfig llamaGqa() {
        return ModelConfig.llama(23, 32, 16, 2, 4, 2);
    }

    /**
     * Every parameter (biases and norm gains too) random, with a spread wide enough that the
     * next-token distribution is far from uniform, so greedy ties do not happen.
     */
    public static CausalLM random(ModelConfig cfg, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        CausalLM model = new CausalLM(cfg);
        model.initialize(manager, DataType.FLOAT32);
        Random r = new Random(seed);
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            NDArray a = e.getValue().getArray();
            float[] v = new float[(int) a.size()];
            boolean gain = e.getKey().endsWith("norm.weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((gain ? 1 : 0) + 0.3 * r.nextGaussian());
            }
            a.set(v);
        }
        return model;
    }
}
