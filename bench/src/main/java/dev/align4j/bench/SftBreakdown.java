package dev.align4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.train.AdamW;
import dev.align4j.core.train.GradClip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where a full SFT step's time goes: the same step as the engine's (forward, cross-entropy,
 * backward, global-norm clip, AdamW) written out by hand so that each part can be timed. Each part
 * ends by reading one value back, so PyTorch has finished it when its clock stops (the extra reads
 * cost well under a millisecond). Milliseconds per step, mean over the steps after the warm-up.
 */
final class SftBreakdown {

    private SftBreakdown() {}

    static Map<String, Object> run(ModelConfig cfg, Device device, int batch, int warm, int steps) {
        int t = cfg.contextLength();
        Random r = new Random(0);
        int[] x = r.ints((long) batch * t, 0, cfg.vocabSize()).toArray();
        int[] y = r.ints((long) batch * t, 0, cfg.vocabSize()).toArray();
        float[] ones = new float[batch * t];
        Arrays.fill(ones, 1f);
        String[] parts = {"blocks_forward", "lm_head_forward", "cross_entropy_forward", "backward", "clip_and_adamw"};
        double[] sums = new double[parts.length];
        try (NDManager m = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(0);
            CausalLM model = new CausalLM(cfg);
            model.initialize(m, DataType.FLOAT32);
            Map<String, Parameter> params = model.namedParameters();
            try (AdamW opt = new AdamW(params, AdamW.Config.defaults())) {
                for (int step = 0; step < warm + steps; step++) {
                    long[] clock = new long[parts.length + 1];
                    try (NDManager s = m.newSubManager(); NDScope scope = new NDScope()) {
                        NDArray ids = s.create(x, new Shape(batch, t));
                        NDArray targets = s.create(y, new Shape(batch, t));
                        NDArray mask = s.create(ones, new Shape(batch, t));
                        clock[0] = System.nanoTime();
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray hidden = model.hidden(ids, null, null, null, true);
                            hidden.get(0, 0, 0).getFloat();
                            clock[1] = System.nanoTime();
                            NDArray logits = model.logits(hidden);
                            logits.get(0, 0, 0).getFloat();
                            clock[2] = System.nanoTime();
                            NDArray loss = LogProbs.crossEntropy(logits, targets, mask);
                            loss.getFloat();
                            clock[3] = System.nanoTime();
                            gc.backward(loss);
                            clock[4] = System.nanoTime();
                        }
                        List<NDArray> grads = new ArrayList<>();
                        for (Parameter p : params.values()) {
                            grads.add(p.getArray().getGradient());
                        }
                        GradClip.clipGlobalNorm(grads, 1.0);
                        opt.step(1e-4);
                        grads.get(0).flatten().get(0).getFloat();
                        clock[5] = System.nanoTime();
                        scope.suppressNotUsedWarning();
                    }
                    if (step >= warm) {
                        for (int i = 0; i < parts.length; i++) {
                            sums[i] += clock[i + 1] - clock[i];
                        }
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < parts.length; i++) {
            double ms = sums[i] / steps / 1e6;
            out.put(parts[i], Math.round(ms * 10) / 10.0);
            total += ms;
        }
        out.put("step", Math.round(total * 10) / 10.0);
        return out;
    }
}
