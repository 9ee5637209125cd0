package dev.align4j.ppo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.AdamW;
import dev.align4j.rl.CombinedReward;
import dev.align4j.rl.Reference;
import dev.align4j.rl.RewardFuncs;
import dev.align4j.rl.RewardFunction;
import dev.align4j.core.train.LrSchedule;
import dev.align4j.core.train.SchedulerType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PpoIterationTest {

    private static final ModelConfig TINY = ModelConfig.gpt2(8, 16, 16, 1, 2);

    private static List<int[]> prompts(int n, long seed) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(r.ints(2 + r.nextInt(2), 0, 8).toArray());
        }
        return out;
    }

    /** Counts token 3 in each response: a reward the policy can raise by itself. */
    private static final RewardFunction COUNT_3 = in -> {
        List<int[]> rs = in.responses();
        float[] out = new float[rs.size()];
        for (int i = 0; i < rs.size(); i++) {
            for (int t : rs.get(i)) {
                out[i] += t == 3 ? 1 : 0;
            }
        }
        return out;
    };

    private static PpoConfig config(double klCoef, int epochs) {
        return new PpoConfig(null, null, null, null, 16, 8, epochs, 6, null, null, null, klCoef, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static PpoIteration iteration(PpoConfig cfg, CausalLM policy, Map<String, Parameter> trainable,
            Reference ref, RewardFunction scorer, Critic critic, double lr) {
        return iteration(cfg, policy, trainable, ref, scorer, critic, lr, null);
    }

    private static PpoIteration iteration(PpoConfig cfg, CausalLM policy, Map<String, Parameter> trainable,
            Reference ref, RewardFunction scorer, Critic critic, double lr, Double fp16Scale) {
        return PpoIteration.builder(cfg, new PpoModels(policy, trainable, ref, scorer, critic))
                .optAdam(AdamW.Config.defaults()).optSchedule(new LrSchedule(SchedulerType.CONSTANT, lr, 0, 100))
                .optMaxGradNorm(1.0).optMicroBatch(4).optForwardBatch(8).optEosId(-1).optFp16(fp16Scale).build();
    }

    @Test
    void oneIterationChangesPolicyAndCriticOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM policy = PpoFixtures.model(TINY, m, 1);
            CausalLM ref = PpoFixtures.model(TINY, m, 1);
            CausalLM rmBackbone = PpoFixtures.model(TINY, m, 2);
            ref.namedParameters().values().forEach(p -> p.freeze(true));
            rmBackbone.namedParameters().values().forEach(p -> p.freeze(true));
            Critic critic = PpoFixtures.critic(TINY, m, 3);
            // a critic head that is not zero, so its backbone gets gradients too
            critic.head().proj().weight().getArray().set(m.randomNormal(
                    critic.head().proj().weight().getArray().getShape()).toFloatArray());
            Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
            Map<String, float[]> policyBefore = PpoFixtures.snapshot(policy.namedParameters());
            Map<String, float[]> refBefore = PpoFixtures.snapshot(ref.namedParameters());
            Map<String, float[]> rmBefore = PpoFixtures.snapshot(rmBackbone.namedParameters());
            Map<String, float[]> criticBefore = PpoFixtures.snapshot(critic.parameters());
            // the scorer reads a frozen model, as the reward model does
            RewardFunction scorer = in -> {
                List<int[]> rs = in.responses();
                float[] out = new float[rs.size()];
                for (int i = 0; i < rs.size(); i++) {
                    int[] seq = rs.get(i);
                    float[] logits = rmBackbone.forward(m.create(seq, new ai.djl.ndarray.types.Shape(1, seq.length)),
                            null, false).logits().toFloatArray();
                    out[i] = logits[logits.length - 1];
                }
                return out;
            };
            PpoConfig cfg = config(0.05, 1);
            try (PpoIteration it = iteration(cfg, policy, trainable, Reference.of(ref), scorer, critic, 1e-2)) {
                Map<String, Double> metrics = it.run(prompts(16, 4), 9, 0).metrics();
                assertThat(metrics).containsKeys("score", "kl", "entropy", "policy_loss", "value_loss", "clipfrac",
                        "approx_kl", "returns_mean", "advantages_mean", "response_length", "generation_s",
                        "scoring_s", "training_s");
                // first epoch, first mini-batch: ratio exactly 1 since logp was recomputed in this layout
                assertThat(metrics.get("kl")).isEqualTo(0.0); // policy == reference before the update
            }
            assertChanged(policyBefore, policy.namedParameters(), true);
            assertChanged(criticBefore, critic.parameters(), true);
            assertChanged(refBefore, ref.namedParameters(), false);
            assertChanged(rmBefore, rmBackbone.namedParameters(), false);
        }
    }

    @Test
    void rewardFuncsAddToTheScoreAndAFailedGateReplacesIt() {
        // responses have 1..6 tokens (no EOS, eos id -1): length:1:1 gives 0 for one token, else -1;
        // gate:length:100:1 scores 0 for every row (<= 99 tokens), so it fails everywhere
        RewardFuncs.Context ctx = new RewardFuncs.Context(new dev.align4j.core.tokenizer.ByteTokenizer(),
                ai.djl.Device.cpu(), 8, 6);
        double[][] got = new double[3][];
        String[][] specs = {{}, {"length:1:1"}, {"length:1:1", "gate:length:100:1"}};
        for (int k = 0; k < specs.length; k++) {
            try (NDManager m = NDManager.newBaseManager();
                    CombinedReward extra = specs[k].length == 0 ? null : RewardFuncs.load(List.of(specs[k]),
                            specs[k].length == 1 ? List.of(0.5) : List.of(0.5, -3.0), ctx)) {
                CausalLM policy = PpoFixtures.model(TINY, m, 1);
                CausalLM ref = PpoFixtures.model(TINY, m, 1);
                ref.namedParameters().values().forEach(p -> p.freeze(true));
                Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
                try (PpoIteration it = PpoIteration.builder(config(0.05, 1), new PpoModels(policy, trainable,
                        Reference.of(ref), COUNT_3, PpoFixtures.critic(TINY, m, 3))).optMicroBatch(4).optForwardBatch(8)
                        .optEosId(-1).optExtraReward(extra).build()) {
                    Map<String, Double> mm = it.run(prompts(16, 4), 9, 0).metrics();
                    got[k] = new double[] {mm.get("score"), mm.get("score_normalized"),
                        mm.getOrDefault("rewards/length/mean", Double.NaN)};
                }
            }
        }
        // same seeds, same rollouts: the raw score is the same in all three
        assertThat(got[1][0]).isEqualTo(got[0][0]);
        assertThat(got[0][1]).isEqualTo(got[0][0]); // no stats, no extra: the raw score
        assertThat(got[1][2]).isLessThan(0).isGreaterThanOrEqualTo(-1);
        assertThat(got[1][1]).isCloseTo(got[0][0] + 0.5 * got[1][2], org.assertj.core.api.Assertions.within(1e-5));
        assertThat(got[2][1]).isEqualTo(-3.0); // every row failed the gate
    }

    private static void assertChanged(Map<String, float[]> before, Map<String, Parameter> now, boolean changed) {
        now.forEach((k, p) -> {
            boolean same = java.util.Arrays.equals(before.get(k), p.getArray().toFloatArray());
            assertThat(same).as(k + (changed ? " should change" : " should stay bit-identical")).isEqualTo(!changed);
        });
    }

    @Test
    void meanRewardRisesOnAToyReward() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM policy = PpoFixtures.model(TINY, m, 11);
            CausalLM ref = PpoFixtures.model(TINY, m, 11);
            ref.namedParameters().values().forEach(p -> p.freeze(true));
            Critic critic = PpoFixtures.critic(TINY, m, 12);
            Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
            List<Double> scores = new ArrayList<>();
            try (PpoIteration it = iteration(config(0.01, 2), policy, trainable, Reference.of(ref), COUNT_3, critic,
                    1e-2)) {
                for (int i = 0; i < 6; i++) {
                    scores.add(it.run(prompts(16, 100 + i), 21, i).metrics().get("score"));
                }
            }
            // 6 tokens at about 1/8 each: 0.75 expected at the start
            double firstTwo = (scores.get(0) + scores.get(1)) / 2;
            double lastTwo = (scores.get(4) + scores.get(5)) / 2;
            assertThat(lastTwo).as("scores " + scores).isGreaterThan(firstTwo + 1.0);
        }
    }

    @Test
    void sameSeedsGiveTheSameIteration() {
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLM policy = PpoFixtures.model(TINY, m, 11);
                CausalLM ref = PpoFixtures.model(TINY, m, 11);
                Critic critic = PpoFixtures.critic(TINY, m, 12);
                Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
                try (PpoIteration it = iteration(config(0.05, 1), policy, trainable, Reference.of(ref), COUNT_3,
                        critic, 1e-2)) {
                    Map<String, Double> mm = new LinkedHashMap<>(it.run(prompts(16, 4), 9, 3).metrics());
                    mm.keySet().removeIf(key -> key.endsWith("_s"));
                    runs.add(mm);
                }
            }
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void fp16UpdatesRaiseTheRewardLikeFp32AndAnOverflowSkipsTheUpdate() {
        List<List<Double>> runs = new ArrayList<>();
        for (double scale : new double[] {0, 1024, Math.pow(2, 60)}) {
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLM policy = PpoFixtures.model(TINY, m, 11);
                CausalLM ref = PpoFixtures.model(TINY, m, 11);
                ref.namedParameters().values().forEach(p -> p.freeze(true));
                Critic critic = PpoFixtures.critic(TINY, m, 12);
                Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
                Map<String, float[]> before = PpoFixtures.snapshot(policy.namedParameters());
                List<Double> scores = new ArrayList<>();
                try (PpoIteration it = iteration(config(0.01, 2), policy, trainable, Reference.of(ref), COUNT_3,
                        critic, 1e-2, scale > 0 ? scale : null)) {
                    int iterations = scale > 1e6 ? 1 : 6;
                    for (int i = 0; i < iterations; i++) {
                        Map<String, Double> mm = it.run(prompts(16, 100 + i), 21, i).metrics();
                        scores.add(mm.get("score"));
                        if (scale > 1e6) {
                            // 2^60 overflows float16 at once: every update of the iteration is skipped
                            assertThat(mm.get("skipped_steps")).isEqualTo(4.0); // 2 epochs x 2 mini-batches
                            assertThat(mm.get("loss_scale")).isEqualTo(scale / 16);
                            assertThat(mm).doesNotContainKey("grad_norm");
                            Map<String, float[]> after = PpoFixtures.snapshot(policy.namedParameters());
                            before.forEach((k, v) -> assertThat(after.get(k)).as(k).containsExactly(v));
                        } else if (scale > 0) {
                            assertThat(mm.get("skipped_steps")).isZero();
                        } else {
                            assertThat(mm).doesNotContainKey("loss_scale");
                        }
                    }
                }
                runs.add(scores);
            }
        }
        List<Double> fp32 = runs.get(0);
        List<Double> fp16 = runs.get(1);
        assertThat(fp16.get(0)).isEqualTo(fp32.get(0)); // the first rollout precedes any update
        double firstTwo = (fp16.get(0) + fp16.get(1)) / 2;
        double lastTwo = (fp16.get(4) + fp16.get(5)) / 2;
        assertThat(lastTwo).as("fp16 scores " + fp16 + " vs fp32 " + fp32).isGreaterThan(firstTwo + 1.0);
    }
}
