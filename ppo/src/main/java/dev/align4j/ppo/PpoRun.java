package dev.align4j.ppo;

import dev.align4j.rl.PromptSet;
import ai.djl.nn.Parameter;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.run.Provenance;
import dev.align4j.core.run.RunLifecycle;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.OptimizerStep;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.rl.OnPolicyLoop;
import dev.align4j.rl.OnPolicySamples;
import dev.align4j.rl.Reference;
import dev.align4j.rl.CombinedReward;
import dev.align4j.rl.RewardFunction;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated PPO run ({@link PpoTrainer#prepare}) on the shared run lifecycle ({@link RunLifecycle}).
 *
 * <ol>
 *   <li>{@link #fit}: PEFT on the policy; the reference (a frozen second copy of the SFT model, or
 *       with LoRA/QLoRA the policy with adapters off, rl's {@link Reference}); the reward model
 *       (frozen, rl's {@link RewardFunction#rewardModel}); the critic (a second copy of the reward
 *       model, trained in full; with normalize_reward its head is rescaled to predict normalised
 *       scores); then rl's on-policy iteration loop ({@link OnPolicyLoop}): one metrics line per iteration
 *       ({@code step} = iterations done), checkpoints every save_steps iterations, at the end and on
 *       Ctrl-C, in the shared format.</li>
 *   <li>{@link #export}: {@code output_dir/model} (LoRA merged; the adapter in {@code adapter/}) with
 *       provenance.json, and
 *       samples.jsonl with each completion's reward.</li>
 * </ol>
 *
 * The iteration loop is rl's {@link OnPolicyLoop}, shared with the critic-free methods (each
 * iteration's data is sampled by the model being trained, so it is not a {@code BatchSource}); its
 * optimizer step, checkpoint files, sinks, non-finite guard and Ctrl-C policy are the engine's.
 */
public final class PpoRun extends RunLifecycle {

    private static final Logger LOG = LogManager.getLogger(PpoRun.class);

    /** Checkpoint file with the adaptive KL coefficient for the next iteration. */
    static final String KL_FILE = "kl_controller.json";

    /** {@value #KL_FILE}. */
    record KlState(@JsonProperty("kl_coef") double klCoef) {
    }

    /**
     * The models prepare loaded: the policy, the frozen reward model, the critic's copy of it, and
     * the reward functions of {@code reward_funcs} (null when none).
     */
    record Models(ModelBundle policy, RewardBundle reward, RewardBundle critic, CombinedReward extra) {
    }

    private final TrainingArgs args;
    private final PeftConfig peft;
    private final PpoConfig cfg;
    private final Models m;
    private final PromptSet prompts;
    private final PromptSet samples;
    private final RewardStats stats;
    private final long iterations;
    private RewardFunction scorer;
    private String baseHash;
    private OnPolicyLoop.Outcome outcome;

    PpoRun(TrainingArgs args, PeftConfig peft, PpoConfig cfg, Models models, PromptSet prompts, PromptSet samples,
            RewardStats stats) {
        super(Path.of(args.outputDir()), cfg.iterations(prompts.size(), args.maxSteps(), args.numTrainEpochs()));
        this.args = args;
        this.peft = peft;
        this.cfg = cfg;
        this.m = models;
        this.prompts = prompts;
        this.samples = samples;
        this.stats = stats;
        this.iterations = plannedSteps();
        Peft.check(models.policy().model(), peft); // before the run folder exists
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
        CausalLM model = m.policy().model();
        baseHash = LoraExport.adapters(peft) ? Adapters.baseModelHash(model) : null;
        Map<String, Parameter> trainable = Peft.apply(model, peft, m.policy().manager(), args.seed());
        m.reward().parameters().values().forEach(p -> p.freeze(true));
        Map<String, Parameter> criticParams = new LinkedHashMap<>(Peft.apply(m.critic().base().model(),
                PeftConfig.of(PeftMethod.FULL), m.critic().base().manager()));
        criticParams.putAll(m.critic().headParameters());
        if (stats != null) {
            normalizeHead(m.critic(), stats);
        }
        LOG.info("PPO: {} prompts ({} cut), {} iterations of {} rollouts", prompts.size(), prompts.truncated(),
                iterations, cfg.rolloutBatchSize());
        boolean lora = LoraExport.adapters(peft);
        ModelBundle ref = lora ? null : ModelBundle.load(Path.of(cfg.policy()), m.policy().manager().getDevice(),
                cfg.template());
        try {
            if (ref != null) {
                ref.model().namedParameters().values().forEach(p -> p.freeze(true));
            }
            Reference reference = ref == null ? Reference.adaptersOff(model) : Reference.of(ref.model());
            scorer = RewardFunction.rewardModel(m.reward(), args.perDeviceEvalBatchSize());
            PpoModels models = new PpoModels(model, trainable, reference, scorer,
                    new Critic(m.critic().base().model(), m.critic().head()));
            long optimizerSteps = iterations * cfg.ppoEpochs() * cfg.miniBatches();
            try (PpoIteration it = PpoIteration.builder(cfg, models).optAdam(args.adamConfig())
                    .optSchedule(args.schedule(optimizerSteps)).optMaxGradNorm(args.maxGradNorm())
                    .optMicroBatch(args.perDeviceTrainBatchSize()).optForwardBatch(args.perDeviceEvalBatchSize())
                    .optEosId(m.policy().tokenizer().eosId()).optRewardStats(stats).optExtraReward(m.extra())
                    .optFp16(args.fp16() ? args.fp16InitialScale() : null).build()) {
                OnPolicyLoop.Setup setup = new OnPolicyLoop.Setup(args, ConfigLoader.toTree(args, peft, cfg), prompts,
                        cfg.rolloutBatchSize(), iterations, weights(), it.trainable(), "score",
                        List.of("score", "kl", "policy_loss", "value_loss"), memory(ref, it));
                outcome = new OnPolicyLoop(setup, iteration(it)).run(extraSinks());
            }
        } finally {
            if (ref != null) {
                ref.close();
            }
        }
        return new Trained(outcome.done(), outcome.last(), outcome.lastCheckpoint(), outcome.interrupted());
    }

    /** Bytes of the weights held (policy, reference copy, reward model, critic) and of AdamW's m and v. */
    private Map<String, Object> memory(ModelBundle ref, PpoIteration it) {
        long weights = Peft.weightBytes(m.policy().model()) + Peft.parameterBytes(m.reward().parameters())
                + Peft.weightBytes(m.critic().base().model()) + Peft.parameterBytes(m.critic().headParameters())
                + (ref == null ? 0 : Peft.weightBytes(ref.model()));
        return Map.of("memory_weights_bytes", weights, "memory_optimizer_bytes",
                2 * Peft.parameterBytes(it.trainable()));
    }

    /** PPO's iteration for the shared loop; the adaptive KL coefficient travels in {@value #KL_FILE}. */
    private OnPolicyLoop.Iteration iteration(PpoIteration it) {
        return new OnPolicyLoop.Iteration() {
            @Override
            public Map<String, Double> run(int[] promptIndices, long seed, long iteration) {
                return it.run(prompts.select(promptIndices), seed, iteration).metrics();
            }

            @Override
            public OptimizerStep optimizerStep() {
                return it.optimizerStep();
            }

            @Override
            public void saveExtra(Path tmp) {
                Json.write(tmp.resolve(KL_FILE), new KlState(it.kl().value()));
            }

            @Override
            public void restoreExtra(Path dir) {
                it.kl().set(Json.read(dir.resolve(KL_FILE), KlState.class).klCoef());
            }
        };
    }

    /** Policy ({@code policy.*}) and critic ({@code critic.*}) weights, as checkpoints hold them. */
    private Map<String, Parameter> weights() {
        Map<String, Parameter> w = new LinkedHashMap<>();
        m.policy().model().namedParameters().forEach((k, p) -> {
            if (p.isInitialized()) {
                w.put("policy." + k, p); // QLoRA leaves the quantized layers' dense weights unset
            }
        });
        m.critic().base().model().namedParameters().forEach((k, p) -> w.put("critic." + k, p));
        m.critic().headParameters().forEach((k, p) -> w.put("critic." + k, p));
        return w;
    }

    /**
     * Rescales the critic's head to (head - mean) / std, so that at the start the critic predicts the
     * normalised score the rollout rewards use (with gamma 1 the return of the last token is that
     * score) instead of the reward model's raw scale; without this the first iterations fit an offset.
     */
    static void normalizeHead(RewardBundle critic, RewardStats stats) {
        double std = Math.max(stats.std(), 1e-8);
        dev.align4j.core.model.Linear proj = critic.head().proj();
        ai.djl.ndarray.NDArray w = proj.weight().getArray();
        w.set(w.div((float) std).toFloatArray());
        if (proj.bias() != null) {
            ai.djl.ndarray.NDArray b = proj.bias().getArray();
            b.set(b.sub((float) stats.mean()).div((float) std).toFloatArray());
        }
    }

    @Override
    protected Exported export(Trained t) {
        Path out = outputDir();
        Provenance prov = Provenance.builder("ppo").setPeft(peft.method().configName()).setBaseModel(cfg.policy())
                .setData(List.of(cfg.prompts()), prompts.dataHash()).setSeed(args.seed()).setSteps(t.steps())
                .setFinalMetrics(t.metrics()).setConfig(ConfigLoader.toTree(args, peft, cfg))
                .put("iterations", t.steps()).put("episodes", t.steps() * cfg.rolloutBatchSize())
                .put("reward_model", cfg.rewardModel()).build();
        Path dir = out.resolve("model");
        ModelBundle policy = m.policy();
        Path adapterDir = null;
        if (LoraExport.adapters(peft)) {
            adapterDir = LoraExport.saveAdapter(out, policy.model(), peft, baseHash);
        }
        policy.saveFinal(dir, adapterDir != null, prov.asMap(), args.seed(), this::writeSamples);
        prov.write(out);
        return new Exported(dir, adapterDir, Map.of());
    }

    private void writeSamples(ModelBundle bundle) {
        if (samples == null) {
            return;
        }
        int n = Math.min(cfg.sampleN(), samples.size());
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature()).topK(cfg.topK())
                .topP(cfg.topP()).maxNewTokens(cfg.maxNewTokens()).eosTokenId(bundle.tokenizer().eosId())
                .seed(args.seed()).build();
        OnPolicySamples.write(outputDir(), bundle, samples.head(n), params, scorer);
    }

    @Override
    public void close() {
        try {
            m.policy().close();
        } finally {
            try {
                m.reward().close();
            } finally {
                m.critic().close();
                if (m.extra() != null) {
                    m.extra().close();
                }
            }
        }
    }
}
