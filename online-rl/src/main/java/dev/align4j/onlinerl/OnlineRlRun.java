package dev.align4j.onlinerl;

import ai.djl.nn.Parameter;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.run.Provenance;
import dev.align4j.core.run.RunLifecycle;
import dev.align4j.core.train.OptimizerStep;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.rl.OnPolicyLoop;
import dev.align4j.rl.OnPolicySamples;
import dev.align4j.rl.PromptSet;
import dev.align4j.rl.Reference;
import dev.align4j.rl.CombinedReward;
import dev.align4j.rl.RewardFuncs;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated critic-free run ({@link OnlineRlTrainer#prepare}) on the shared run lifecycle.
 *
 * <ol>
 *   <li>{@link #fit}: PEFT on the policy; a reference only when beta > 0 (with LoRA/QLoRA the policy
 *       with adapters off, else a frozen second copy of the SFT model); then rl's
 *       {@link OnPolicyLoop} with one {@link OnlineRlIteration} per step. run.json records which
 *       reference was held and the bytes of weights and optimizer state.</li>
 *   <li>{@link #export}: {@code model/} (LoRA merged; the adapter in {@code adapter/}),
 *       provenance.json and samples.jsonl with each completion's reward.</li>
 * </ol>
 */
public final class OnlineRlRun extends RunLifecycle {

    private static final Logger LOG = LogManager.getLogger(OnlineRlRun.class);

    private final TrainingArgs args;
    private final PeftConfig peft;
    private final OnlineRlConfig cfg;
    private final ModelBundle policy;
    private final CombinedReward reward;
    private final PromptSet prompts;
    private final PromptSet samples;
    private String baseHash;
    private OnPolicyLoop.Outcome outcome;

    OnlineRlRun(TrainingArgs args, PeftConfig peft, OnlineRlConfig cfg, ModelBundle policy,
            CombinedReward reward, PromptSet prompts, PromptSet samples) {
        super(Path.of(args.outputDir()), cfg.iterations(prompts.size(), args.maxSteps(), args.numTrainEpochs()));
        this.args = args;
        this.peft = peft;
        this.cfg = cfg;
        this.policy = policy;
        this.reward = reward;
        this.prompts = prompts;
        this.samples = samples;
        Peft.check(policy.model(), peft); // before the run folder exists
    }

    /** The first iteration's metrics of this invocation (empty before training). */
    public Map<String, Double> firstMetrics() {
        return outcome == null ? Map.of() : outcome.first();
    }

    /** Seconds in generation, scoring and training over this invocation. */
    public double[] timing() {
        return outcome == null ? new double[3] : outcome.timing().clone();
    }

    @Override
    protected Trained fit() {
        CausalLM model = policy.model();
        boolean lora = LoraExport.adapters(peft);
        baseHash = lora ? Adapters.baseModelHash(model) : null;
        Map<String, Parameter> trainable = Peft.apply(model, peft, policy.manager(), args.seed());
        boolean wantRef = cfg.beta() > 0;
        ModelBundle refCopy = wantRef && !lora ? ModelBundle.load(Path.of(cfg.policy()),
                policy.manager().getDevice(), cfg.template()) : null;
        try {
            Reference ref = !wantRef ? null : refCopy == null ? Reference.adaptersOff(model) : frozen(refCopy);
            LOG.info("{}: {} prompts ({} cut), {} iterations of {} prompts x {} completions; reference: {}",
                    cfg.algorithm(), prompts.size(), prompts.truncated(), plannedSteps(), cfg.rolloutBatchSize(),
                    cfg.numGenerations(), referenceKind(wantRef, refCopy));
            long optimizerSteps = plannedSteps() * cfg.numIterations() * cfg.miniBatches();
            try (OnlineRlIteration it = OnlineRlIteration.builder(cfg, new OnlineRlModels(model, trainable, ref,
                    reward)).optAdam(args.adamConfig()).optSchedule(args.schedule(optimizerSteps))
                    .optMaxGradNorm(args.maxGradNorm()).optMicroBatch(args.perDeviceTrainBatchSize())
                    .optForwardBatch(args.perDeviceEvalBatchSize()).optEosId(policy.tokenizer().eosId())
                    .optFp16(args.fp16() ? args.fp16InitialScale() : null).build()) {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("algorithm", cfg.algorithm());
                info.put("reference", referenceKind(wantRef, refCopy));
                info.put("reward_funcs", reward.names());
                info.put("memory_weights_bytes", Peft.weightBytes(model)
                        + (refCopy == null ? 0 : Peft.weightBytes(refCopy.model())));
                info.put("memory_optimizer_bytes", 2 * Peft.parameterBytes(trainable)); // AdamW's m and v
                OnPolicyLoop.Setup setup = new OnPolicyLoop.Setup(args, ConfigLoader.toTree(args, peft, cfg),
                        prompts, cfg.rolloutBatchSize(), plannedSteps(), weights(), trainable, "reward",
                        List.of("reward", "kl", "loss", "entropy"), info);
                outcome = new OnPolicyLoop(setup, iteration(it)).run(extraSinks());
            }
        } finally {
            if (refCopy != null) {
                refCopy.close();
            }
        }
        return new Trained(outcome.done(), outcome.last(), outcome.lastCheckpoint(), outcome.interrupted());
    }

    private static Reference frozen(ModelBundle copy) {
        copy.model().namedParameters().values().forEach(p -> p.freeze(true));
        return Reference.of(copy.model());
    }

    private static String referenceKind(boolean wanted, ModelBundle copy) {
        return !wanted ? "none (beta 0)" : copy == null ? "policy with adapters off" : "frozen copy";
    }

    private OnPolicyLoop.Iteration iteration(OnlineRlIteration it) {
        return new OnPolicyLoop.Iteration() {
            @Override
            public Map<String, Double> run(int[] promptIndices, long seed, long iteration) {
                return it.run(prompts.select(promptIndices), prompts.selectAnswers(promptIndices), seed, iteration)
                        .metrics();
            }

            @Override
            public OptimizerStep optimizerStep() {
                return it.optimizerStep();
            }
        };
    }

    /** The policy's initialized weights, as checkpoints hold them. */
    private Map<String, Parameter> weights() {
        Map<String, Parameter> w = new LinkedHashMap<>();
        policy.model().namedParameters().forEach((k, p) -> {
            if (p.isInitialized()) {
                w.put(k, p);
            }
        });
        return w;
    }

    @Override
    protected Exported export(Trained t) {
        Path out = outputDir();
        Provenance prov = Provenance.builder(cfg.algorithm()).setPeft(peft.method().configName())
                .setBaseModel(cfg.policy()).setData(List.of(cfg.prompts()), prompts.dataHash()).setSeed(args.seed())
                .setSteps(t.steps()).setFinalMetrics(t.metrics()).setConfig(ConfigLoader.toTree(args, peft, cfg))
                .put("iterations", t.steps()).put("episodes", t.steps() * cfg.rolloutBatchSize())
                .put("reward_funcs", cfg.rewardFuncs()).build();
        Path dir = out.resolve("model");
        Path adapterDir = LoraExport.adapters(peft) ? LoraExport.saveAdapter(out, policy.model(), peft, baseHash)
                : null;
        policy.saveFinal(dir, adapterDir != null, prov.asMap(), args.seed(), this::writeSamples);
        prov.write(out);
        return new Exported(dir, adapterDir, Map.of());
    }

    private void writeSamples(ModelBundle bundle) {
        if (samples == null) {
            return;
        }
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature()).topK(cfg.topK())
                .topP(cfg.topP()).maxNewTokens(cfg.maxNewTokens()).eosTokenId(bundle.tokenizer().eosId())
                .seed(args.seed()).build();
        OnPolicySamples.write(outputDir(), bundle, samples.head(cfg.sampleN()), params, reward);
    }

    @Override
    public void close() {
        try {
            policy.close();
        } finally {
            reward.close();
        }
    }
}
