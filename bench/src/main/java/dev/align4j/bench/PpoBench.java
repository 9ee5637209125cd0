package dev.align4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.model.ScalarHead;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.stats.Stats;
import dev.align4j.core.train.AdamW;
import dev.align4j.core.train.LrSchedule;
import dev.align4j.core.train.SchedulerType;
import dev.align4j.ppo.Critic;
import dev.align4j.ppo.PpoConfig;
import dev.align4j.ppo.PpoIteration;
import dev.align4j.ppo.PpoModels;
import dev.align4j.rl.Reference;
import dev.align4j.rl.RewardFunction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One PPO iteration on the benchmark's model shape, everything created fresh: policy, a frozen
 * reference (same weights), a reward model (backbone + random head) and a critic of the same shape.
 * Fixed setup: {@code batch} prompts of 32 random tokens, 32 new tokens (no EOS, so every response
 * has the full length), temperature 1, one PPO epoch of one mini-batch. Reported: the median
 * iteration over the timed ones after one warm-up, and that iteration's split.
 */
final class PpoBench {

    private PpoBench() {}

    /** The iteration whose total time is nearest the median total ({@link Stats#median}), so its split adds up. */
    static Map<String, Double> medianRun(List<Map<String, Double>> runs) {
        double m = Stats.median(runs.stream().mapToDouble(PpoBench::total).toArray());
        return runs.stream().min((a, b) -> Double.compare(Math.abs(total(a) - m), Math.abs(total(b) - m))).orElseThrow();
    }

    static Map<String, Object> run(ModelConfig cfg, Device device, int batch, int timed) {
        int promptLen = Math.min(32, cfg.contextLength() / 3);
        int newTokens = Math.min(32, cfg.contextLength() - promptLen);
        PpoConfig ppo = new PpoConfig(null, null, null, null, batch, batch, 1, newTokens, 1.0, null, null, 0.05,
                null, null, null, null, null, null, null, null, false, null, null, null, null, null, 0, null, null);
        try (NDManager m = NDManager.newBaseManager(device)) {
            CausalLM policy = model(cfg, m, 0);
            CausalLM ref = model(cfg, m, 0);
            CausalLM rmBackbone = model(cfg, m, 1);
            ScalarHead rmHead = new ScalarHead(cfg.dModel());
            rmHead.initialize(m, DataType.FLOAT32);
            rmHead.proj().weight().getArray().set(m.randomNormal(new Shape(1, cfg.dModel())).toFloatArray());
            for (Map<String, Parameter> ps : List.of(ref.namedParameters(), rmBackbone.namedParameters(),
                    rmHead.namedParameters())) {
                ps.values().forEach(p -> p.freeze(true));
            }
            Critic critic = new Critic(model(cfg, m, 2), new ScalarHead(cfg.dModel()));
            critic.head().initialize(m, DataType.FLOAT32);
            Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
            RewardFunction scorer = in -> score(rmBackbone, rmHead, in.prompts(), in.responses(), m);
            PpoModels models = new PpoModels(policy, trainable, Reference.of(ref), scorer, critic);
            Random r = new Random(0);
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                prompts.add(r.ints(promptLen, 0, cfg.vocabSize()).toArray());
            }
            List<Map<String, Double>> runs = new ArrayList<>();
            try (PpoIteration it = PpoIteration.builder(ppo, models).optAdam(AdamW.Config.defaults())
                    .optSchedule(new LrSchedule(SchedulerType.CONSTANT, 1e-5, 0, 100)).optMaxGradNorm(1.0)
                    .optMicroBatch(batch).optForwardBatch(batch).optEosId(-1).build()) {
                for (int i = 0; i <= timed; i++) {
                    Map<String, Double> mm = it.run(prompts, 0, i).metrics();
                    if (i > 0) {
                        runs.add(mm); // iteration 0 warms up
                    }
                }
            }
            Map<String, Double> median = medianRun(runs);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ppo_iteration_s", round(total(median)));
            Map<String, Object> split = new LinkedHashMap<>();
            split.put("generation_s", round(median.get("generation_s")));
            split.put("scoring_s", round(median.get("scoring_s")));
            split.put("training_s", round(median.get("training_s")));
            out.put("ppo_split", split);
            out.put("ppo_setup", "batch " + batch + ", " + promptLen + "-token prompts, " + newTokens
                    + " new tokens, 1 PPO epoch of 1 mini-batch; policy, reference, reward model and critic of"
                    + " the bench shape; median of " + timed + " iterations after 1 warm-up");
            return out;
        }
    }

    static double total(Map<String, Double> m) {
        return m.get("generation_s") + m.get("scoring_s") + m.get("training_s");
    }

    static CausalLM model(ModelConfig cfg, NDManager m, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        CausalLM model = new CausalLM(cfg);
        model.initialize(m, DataType.FLOAT32);
        return model;
    }

    /** Reward of prompt + response: the head at the last token (all rows have equal length here). */
    static float[] score(CausalLM backbone, ScalarHead head, List<int[]> prompts, List<int[]> responses,
            NDManager base) {
        int b = prompts.size();
        int t = prompts.get(0).length + responses.get(0).length;
        int[] ids = new int[b * t];
        for (int i = 0; i < b; i++) {
            int[] p = prompts.get(i);
            int[] s = Arrays.copyOf(p, t);
            System.arraycopy(responses.get(i), 0, s, p.length, responses.get(i).length);
            System.arraycopy(s, 0, ids, i * t, t);
        }
        try (NDManager m = base.newSubManager(); NDScope scope = new NDScope()) {
            float[] out = ScalarHead.atLastToken(head.forward(backbone.hidden(m.create(ids, new Shape(b, t)), null,
                    null, null, false)), m.ones(new Shape(b, t))).toFloatArray();
            scope.suppressNotUsedWarning();
            return out;
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
