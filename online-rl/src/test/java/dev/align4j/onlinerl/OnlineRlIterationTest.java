package dev.align4j.onlinerl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.LrSchedule;
import dev.align4j.core.train.SchedulerType;
import dev.align4j.rl.Forward;
import dev.align4j.rl.Reference;
import dev.align4j.rl.RewardFunction;
import dev.align4j.rl.Rollout;
import dev.align4j.rl.Rollouts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** One critic-free iteration on a tiny model: REINFORCE at the first step, what it may change, every algorithm. */
class OnlineRlIterationTest {

    private static final ModelConfig TINY = ModelConfig.gpt2(8, 16, 16, 1, 2);

    /** Counts token 3 in each completion. */
    private static final RewardFunction COUNT_3 = in -> {
        float[] out = new float[in.size()];
        for (int i = 0; i < out.length; i++) {
            for (int t : in.responses().get(i)) {
                out[i] += t == 3 ? 1 : 0;
            }
        }
        return out;
    };

    static CausalLM model(NDManager m, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        CausalLM model = new CausalLM(TINY);
        model.initialize(m, DataType.FLOAT32);
        return model;
    }

    static List<int[]> prompts(int n, long seed) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(r.ints(2 + r.nextInt(2), 0, 8).toArray());
        }
        return out;
    }

    private static OnlineRlIteration iteration(OnlineRlConfig cfg, OnlineRlModels models, double lr) {
        return OnlineRlIteration.builder(cfg, models).optSchedule(new LrSchedule(SchedulerType.CONSTANT, lr, 0, 100))
                .optMicroBatch(4).optForwardBatch(8).build();
    }

    @Test
    void firstInnerStepHasRatioOneAndThePlainReinforceGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM policy = model(m, 1);
            Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
            OnlineRlConfig cfg = OnlineRlConfig.builder().rolloutBatchSize(2).numGenerations(4).maxNewTokens(5)
                    .build();
            try (OnlineRlIteration it = iteration(cfg, new OnlineRlModels(policy, trainable, null, COUNT_3), 1e-3)) {
                List<int[]> rows = new ArrayList<>();
                prompts(2, 3).forEach(p -> Collections.addAll(rows, p, p, p, p));
                Rollout r = Rollouts.generate(policy, rows, SamplingParams.builder().temperature(1.0).maxNewTokens(5)
                        .seed(7).build());
                it.score(r, Collections.nCopies(8, null), new LinkedHashMap<>());
                Advantages.fill(r, cfg, new LinkedHashMap<>());
                int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
                long tokens = r.tokens(all);
                Map<String, float[]> ours;
                try (NDManager g = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    OnlineRlIteration.Terms t = it.loss(r, all, new CriticFreeLoss.Norm(8, tokens, 8, 5), g);
                    float[] ratio = t.logp().sub(t.oldLogp()).exp().mul(t.mask()).add(t.mask().neg().add(1f))
                            .toFloatArray();
                    for (float v : ratio) {
                        assertThat(v).isCloseTo(1f, within(1e-6f));
                    }
                    gc.backward(t.loss());
                    ours = grads(trainable);
                }
                zero(trainable);
                // REINFORCE: -sum_i A_i sum_t log p(y_it) / tokens, written directly
                Map<String, float[]> reinforce;
                try (NDManager g = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Rollout.Tensors t = r.tensors(all, g);
                    NDArray logp = Forward.logProbs(Forward.logits(policy, t, false), t);
                    NDArray adv = r.gather(r.advantages, all, g);
                    gc.backward(logp.mul(adv).mul(t.responseMask()).sum().neg().div(g.create((float) tokens)));
                    reinforce = grads(trainable);
                }
                zero(trainable);
                double norm = 0;
                for (String k : ours.keySet()) {
                    float[] a = ours.get(k);
                    float[] b = reinforce.get(k);
                    for (int i = 0; i < a.length; i++) {
                        assertThat(a[i]).as(k).isCloseTo(b[i], within(1e-5f));
                        norm += Math.abs(b[i]);
                    }
                }
                assertThat(norm).isGreaterThan(1e-4); // the rewards differ, so there is a gradient to compare
            }
        }
    }

    @Test
    void loraIterationWithBetaZeroChangesOnlyTheAdapters() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM policy = model(m, 2);
            Map<String, Parameter> trainable = Peft.apply(policy,
                    PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of(PeftConfig.ALL_LINEAR)), m);
            Map<String, float[]> before = snapshot(policy.namedParameters());
            OnlineRlConfig cfg = OnlineRlConfig.builder().rolloutBatchSize(4).numGenerations(4).maxNewTokens(6)
                    .build();
            try (OnlineRlIteration it = iteration(cfg, new OnlineRlModels(policy, trainable, null, COUNT_3), 1e-2)) {
                Map<String, Double> metrics = it.run(prompts(4, 5), Collections.nCopies(4, null), 9, 0).metrics();
                assertThat(metrics).containsKeys("reward", "reward_std", "frac_reward_zero_std", "entropy", "loss",
                        "grad_norm", "clip_ratio/region_mean", "completions/mean_length", "eos_rate")
                        .doesNotContainKey("kl");
                assertThat(metrics.get("ratio")).isCloseTo(1.0, within(1e-6));
            }
            Map<String, float[]> after = snapshot(policy.namedParameters());
            int changed = 0;
            for (String k : before.keySet()) {
                boolean same = java.util.Arrays.equals(before.get(k), after.get(k));
                if (trainable.containsKey(k)) {
                    changed += same ? 0 : 1;
                } else {
                    assertThat(same).as(k + " is frozen").isTrue();
                }
            }
            assertThat(changed).isPositive();
        }
    }

    @Test
    void everyAlgorithmTrainsWithAReferenceAndLogsItsKl() {
        for (String algo : List.of("grpo", "rloo", "reinforce_pp")) {
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLM policy = model(m, 3);
                CausalLM ref = model(m, 3);
                ref.namedParameters().values().forEach(p -> p.freeze(true));
                Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
                OnlineRlConfig cfg = OnlineRlConfig.builder().algorithm(algo).rolloutBatchSize(4)
                        .numGenerations(algo.equals("reinforce_pp") ? 1 : 2).maxNewTokens(6).beta(0.1)
                        .numIterations(2).miniBatchSize(4).build();
                List<Map<String, Double>> runs = new ArrayList<>();
                try (OnlineRlIteration it = iteration(cfg, new OnlineRlModels(policy, trainable, Reference.of(ref),
                        COUNT_3), 1e-2)) {
                    for (int k = 0; k < 3; k++) {
                        runs.add(it.run(prompts(4, k), Collections.nCopies(4, null), 11, k).metrics());
                    }
                }
                // the first iteration starts at the reference: KL 0; later ones have moved away
                assertThat(runs.get(0).get("kl")).as(algo).isCloseTo(0.0, within(1e-6));
                assertThat(Math.abs(runs.get(2).get("kl"))).as(algo).isGreaterThan(0.0);
                assertThat(runs.get(2).get("loss")).as(algo).isFinite();
            }
        }
    }

    private static Map<String, float[]> grads(Map<String, Parameter> ps) {
        Map<String, float[]> out = new LinkedHashMap<>();
        ps.forEach((k, p) -> out.put(k, p.getArray().getGradient().toFloatArray()));
        return out;
    }

    private static void zero(Map<String, Parameter> ps) {
        ps.values().forEach(p -> {
            NDArray g = p.getArray().getGradient();
            g.subi(g);
        });
    }

    static Map<String, float[]> snapshot(Map<String, Parameter> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, p) -> {
            if (p.isInitialized()) {
                out.put(k, p.getArray().toFloatArray());
            }
        });
        return out;
    }
}
