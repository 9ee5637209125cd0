package dev.align4j.sft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.datasets.tokenize.TokenizedExample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models and data for the sft tests (d 16, 2 layers, vocab 32). */
final class TinyRuns {

    static final int VOCAB = 32;

    private TinyRuns() {
    }

    static ModelConfig config() {
        return ModelConfig.gpt2(VOCAB, 16, 16, 2, 2);
    }

    static CausalLM model(NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        CausalLM m = new CausalLM(config());
        m.initialize(manager, DataType.FLOAT32);
        return m;
    }

    /** {@code n} examples of 5..10 tokens, the first 3 masked (a "prompt"). */
    static List<TokenizedExample> examples(int n, long seed) {
        Random r = new Random(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 5 + r.nextInt(6);
            int[] ids = new int[len];
            int[] labels = new int[len];
            for (int t = 0; t < len; t++) {
                ids[t] = 1 + r.nextInt(VOCAB - 1);
                labels[t] = t < 3 ? TokenizedExample.IGNORE : ids[t];
            }
            out.add(new TokenizedExample(null, ids, labels));
        }
        return out;
    }

    /** Every initialised parameter's values, by name. */
    static Map<String, float[]> snapshot(CausalLM model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            if (e.getValue().isInitialized()) {
                out.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }
}
