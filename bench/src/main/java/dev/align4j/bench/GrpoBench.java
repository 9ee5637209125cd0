package dev.align4j.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.model.ScalarHead;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.AdamW;
import dev.align4j.core.train.LrSchedule;
import dev.align4j.core.train.SchedulerType;
import dev.align4j.onlinerl.OnlineRlConfig;
import dev.align4j.onlinerl.OnlineRlIteration;
import dev.align4j.onlinerl.OnlineRlModels;
import dev.align4j.rl.Reference;
import dev.align4j.rl.RewardFunction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One GRPO iteration on the benchmark's model shape, set up like {@link PpoBench} so the two compare:
 * the same number of completions ({@code batch}: batch / 4 prompts x 4 generations), 32-token
 * prompts, 32 new tokens without EOS, a frozen reference (beta 0.04, k3 term) and the same reward
 * model scoring, one mini-batch, one pass; no critic. Reported: the median iteration after one
 * warm-up and its split.
 */
final class GrpoBench {

    private static final int GENERATIONS = 4;

    private GrpoBench() {
    }

    static Map<String, Object> run(ModelConfig cfg, Device device, int batch, int timed) {
        int promptLen = Math.min(32, cfg.contextLength() / 3);
        int newTokens = Math.min(32, cfg.contextLength() - promptLen);
        int prompts = Math.max(1, batch / GENERATIONS);
        OnlineRlConfig grpo = OnlineRlConfig.builder().rolloutBatchSize(prompts).numGenerations(GENERATIONS)
                .maxNewTokens(newTokens).beta(0.04).build();
        try (NDManager m = NDManager.newBaseManager(device)) {
            CausalLM policy = PpoBench.model(cfg, m, 0);
            CausalLM ref = PpoBench.model(cfg, m, 0);
            CausalLM rmBackbone = PpoBench.model(cfg, m, 1);
            ScalarHead rmHead = new ScalarHead(cfg.dModel());
            rmHead.initialize(m, DataType.FLOAT32);
            rmHead.proj().weight().getArray().set(m.randomNormal(new Shape(1, cfg.dModel())).toFloatArray());
            for (Map<String, Parameter> ps : List.of(ref.namedParameters(), rmBackbone.namedParameters(),
                    rmHead.namedParameters())) {
                ps.values().forEach(p -> p.freeze(true));
            }
            Map<String, Parameter> trainable = Peft.apply(policy, PeftConfig.of(PeftMethod.FULL), m);
            RewardFunction scorer = in -> PpoBench.score(rmBackbone, rmHead, in.prompts(), in.responses(), m);
            Random r = new Random(0);
            List<int[]> ids = new ArrayList<>();
            for (int i = 0; i < prompts; i++) {
                ids.add(r.ints(promptLen, 0, cfg.vocabSize()).toArray());
            }
            List<Map<String, Double>> runs = new ArrayList<>();
            try (OnlineRlIteration it = OnlineRlIteration.builder(grpo, new OnlineRlModels(policy, trainable,
                    Reference.of(ref), scorer)).optAdam(AdamW.Config.defaults())
                    .optSchedule(new LrSchedule(SchedulerType.CONSTANT, 1e-5, 0, 100)).optMaxGradNorm(1.0)
                    .optMicroBatch(batch).optForwardBatch(batch).optEosId(-1).build()) {
                for (int i = 0; i <= timed; i++) {
                    Map<String, Double> mm = it.run(ids, Collections.nCopies(prompts, null), 0, i).metrics();
                    if (i > 0) {
                        runs.add(mm); // iteration 0 warms up
                    }
                }
            }
            Map<String, Double> median = PpoBench.medianRun(runs);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("grpo_iteration_s", PpoBench.round(PpoBench.total(median)));
            Map<String, Object> split = new LinkedHashMap<>();
            split.put("generation_s", PpoBench.round(median.get("generation_s")));
            split.put("scoring_s", PpoBench.round(median.get("scoring_s")));
            split.put("training_s", PpoBench.round(median.get("training_s")));
            out.put("grpo_split", split);
            out.put("grpo_setup", prompts + " prompts x " + GENERATIONS + " generations, " + promptLen
                    + "-token prompts, " + newTokens + " new tokens, 1 pass of 1 mini-batch; policy, reference and "
                    + "reward model of the bench shape, no critic; median of " + timed + " iterations after 1 warm-up");
            return out;
        }
    }
}
