package dev.align4j.ppo;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.align4j.core.UserInputException;
import dev.align4j.core.Version;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.MetricsLog;
import dev.align4j.core.train.TrainState;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * PPO from an SFT model folder, a reward model folder and a prompts file (see {@link PpoIteration}
 * for one iteration). The loop is its own rather than {@code TrainingEngine}'s, because the data of
 * each iteration is sampled by the model being trained; it reuses the engine's parts (AdamW,
 * GradClip, LrSchedule, Checkpoint, MetricsLog) and its folder layout.
 *
 * <ol>
 *   <li>Validates every input (folders, tokenizer match, prompts, lengths, resume point) before
 *       anything is written.
 *   <li>Loads the policy (PEFT applied), the reference (a frozen second copy of the SFT model, or
 *       with LoRA/QLoRA the policy with adapters off), the reward model (frozen) and the critic (a
 *       second copy of the reward model, trained in full; with normalize_reward its head is rescaled
 *       to predict normalised scores).
 *   <li>Per iteration: one line in metrics.jsonl ({@code step} = iterations done); checkpoints every
 *       save_steps iterations, at the end and on an interrupt (Ctrl-C), which stops the run.
 *   <li>Writes {@code output_dir/model} (LoRA merged) with provenance.json, and samples.jsonl.
 * </ol>
 */
public final class PpoTrainer {

    private static final Logger LOG = LogManager.getLogger(PpoTrainer.class);

    /**
     * @param modelDir the final model folder (null when interrupted)
     * @param iterations iterations done
     * @param lastMetrics the last iteration's metrics
     * @param firstMetrics the first iteration of this invocation's metrics
     */
    public record Result(Path outputDir, Path modelDir, long iterations, Map<String, Double> firstMetrics,
            Map<String, Double> lastMetrics, double generationS, double scoringS, double trainingS,
            boolean interrupted) {
    }

    private final TrainingArgs args;
    private final PeftConfig peft;
    private final PpoConfig cfg;
    private Consumer<Path> beforeWrite = dir -> { };

    public PpoTrainer(TrainingArgs args, PeftConfig peft, PpoConfig cfg) {
        this.args = args;
        this.peft = peft;
        this.cfg = cfg;
    }

    /** Called with output_dir once every input is validated, just before the first write. */
    public PpoTrainer onValidated(Consumer<Path> hook) {
        this.beforeWrite = hook;
        return this;
    }

    private boolean lora() {
        return peft.method() == PeftMethod.LORA || peft.method() == PeftMethod.QLORA;
    }

    /** Trains; bad input throws {@link UserInputException} before anything is written. */
    public Result train() {
        cfg.requirePaths();
        if (args.gradientAccumulationSteps() != 1) {
            throw new UserInputException("gradient_accumulation_steps: PPO takes one optimizer step per mini-batch; "
                    + "set mini_batch_size (sequences per step) and per_device_train_batch_size (sequences per "
                    + "forward) instead, got " + args.gradientAccumulationSteps());
        }
        Path out = Path.of(args.outputDir());
        Path policyDir = Path.of(cfg.policy());
        Path rewardDir = Path.of(cfg.rewardModel());
        ModelFolder.detect(policyDir);
        Path resumeFrom = args.resumeFromCheckpoint() == null ? null
                : Checkpoint.resolve(args.resumeFromCheckpoint(), out);
        Device device = Devices.resolve(args.device());
        try (ModelBundle policy = ModelBundle.load(policyDir, device, cfg.template());
                RewardBundle reward = RewardBundle.load(rewardDir, device);
                RewardBundle criticRm = RewardBundle.load(rewardDir, device)) {
            int maxPrompt = maxPromptTokens(policy, reward);
            PpoPrompts prompts = PpoPrompts.load("prompts", Path.of(cfg.prompts()), policy.tokenizer(),
                    policy.template(), maxPrompt);
            checkTokenizers(policy, reward, prompts);
            PpoPrompts samples = cfg.sampleN() == 0 ? null : cfg.samplePrompts() == null ? prompts
                    : PpoPrompts.load("sample_prompts", Path.of(cfg.samplePrompts()), policy.tokenizer(),
                            policy.template(), maxPrompt);
            RewardStats stats = null;
            if (cfg.normalizeReward()) {
                stats = reward.stats();
                if (stats == null) {
                    throw new UserInputException("normalize_reward: " + rewardDir + " has no "
                            + RewardBundle.STATS + "; set normalize_reward: false to use raw scores");
                }
            }
            long iterations = cfg.iterations(prompts.size(), args.maxSteps(), args.numTrainEpochs());
            CausalLM model = policy.model();
            Map<String, Parameter> trainable = Peft.apply(model, peft, policy.manager());
            reward.parameters().values().forEach(p -> p.freeze(true));
            Map<String, Parameter> criticParams = new LinkedHashMap<>(
                    Peft.apply(criticRm.base().model(), PeftConfig.of(PeftMethod.FULL), criticRm.base().manager()));
            criticParams.putAll(criticRm.headParameters());
            if (stats != null) {
                normalizeHead(criticRm, stats);
            }
            LOG.info("PPO: {} prompts ({} cut to {} tokens), {} iterations of {} rollouts", prompts.size(),
                    prompts.truncated(), maxPrompt, iterations, cfg.rolloutBatchSize());

            beforeWrite.accept(out);
            ModelBundle ref = lora() ? null : ModelBundle.load(policyDir, device, cfg.template());
            try {
                if (ref != null) {
                    ref.model().namedParameters().values().forEach(p -> p.freeze(true));
                }
                Reference reference = ref == null ? Reference.adaptersOff(model) : Reference.of(ref.model());
                Scorer scorer = Scorer.of(reward, args.perDeviceEvalBatchSize());
                PpoModels models = new PpoModels(model, trainable, reference, scorer,
                        new Critic(criticRm.base().model(), criticRm.head()));
                long optimizerSteps = iterations * cfg.ppoEpochs() * cfg.miniBatches();
                try (PpoIteration it = new PpoIteration(cfg, models, args.adamConfig(), args.schedule(optimizerSteps),
                        args.maxGradNorm(), args.perDeviceTrainBatchSize(), args.perDeviceEvalBatchSize(),
                        policy.tokenizer().eosId(), stats)) {
                    if (args.fp16()) {
                        it.enableFp16(args.fp16InitialScale());
                    }
                    return new Loop(out, policy, prompts, samples, scorer, it, criticRm, iterations, resumeFrom)
                            .run();
                }
            } finally {
                if (ref != null) {
                    ref.close();
                }
            }
        }
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

    /** Longest prompt such that prompt + max_new_tokens fits the policy's and the reward model's context. */
    private int maxPromptTokens(ModelBundle policy, RewardBundle reward) {
        int ctx = Math.min(policy.config().contextLength(), reward.base().config().contextLength());
        int max = ctx - cfg.maxNewTokens();
        if (max < 1) {
            throw new UserInputException("max_new_tokens: " + cfg.maxNewTokens() + " leaves no room for a prompt in "
                    + "the context of " + ctx + " tokens (policy " + policy.config().contextLength() + ", reward model "
                    + reward.base().config().contextLength() + ")");
        }
        return max;
    }

    /** The critic and the reward model read the policy's token ids, so all must share one tokenizer. */
    private void checkTokenizers(ModelBundle policy, RewardBundle reward, PpoPrompts prompts) {
        boolean same = policy.tokenizer().vocabSize() == reward.base().tokenizer().vocabSize()
                && policy.config().vocabSize() == reward.base().config().vocabSize();
        for (int i = 0; same && i < Math.min(8, prompts.size()); i++) {
            String text = policy.template().renderPrompt(prompts.messages().get(i));
            same = Arrays.equals(policy.tokenizer().encode(text), reward.base().tokenizer().encode(text));
        }
        if (!same) {
            throw new UserInputException("reward_model: " + cfg.rewardModel() + " uses another tokenizer than policy "
                    + cfg.policy() + " (vocab " + reward.base().tokenizer().vocabSize() + " vs "
                    + policy.tokenizer().vocabSize() + "); PPO scores the policy's token ids, so train the reward "
                    + "model from the same SFT model");
        }
    }

    /** The iteration loop of one invocation. */
    private final class Loop {
        private final Path out;
        private final ModelBundle policy;
        private final PpoPrompts prompts;
        private final PpoPrompts samples;
        private final Scorer scorer;
        private final PpoIteration it;
        private final long iterations;
        private final Path resumeFrom;
        private final Map<String, Parameter> weights = new LinkedHashMap<>();
        private final long start = System.nanoTime();
        private double wallBefore;

        Loop(Path out, ModelBundle policy, PpoPrompts prompts, PpoPrompts samples, Scorer scorer, PpoIteration it,
                RewardBundle critic, long iterations, Path resumeFrom) {
            this.out = out;
            this.policy = policy;
            this.prompts = prompts;
            this.samples = samples;
            this.scorer = scorer;
            this.it = it;
            this.iterations = iterations;
            this.resumeFrom = resumeFrom;
            policy.model().namedParameters().forEach((k, p) -> {
                if (p.isInitialized()) {
                    weights.put("policy." + k, p); // QLoRA leaves the quantized layers' dense weights unset
                }
            });
            critic.base().model().namedParameters().forEach((k, p) -> weights.put("critic." + k, p));
            critic.headParameters().forEach((k, p) -> weights.put("critic." + k, p));
        }

        Result run() {
            try {
                java.nio.file.Files.createDirectories(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + out, e);
            }
            ConfigLoader.writeJson(out.resolve("config.json"), args, peft, cfg);
            long done = 0;
            if (resumeFrom != null) {
                TrainState s = PpoCheckpoint.restore(resumeFrom, weights, it, policy.manager());
                done = s.step();
                wallBefore = s.wallTimeS();
                if (!prompts.dataHash().equals(s.dataHash())) {
                    LOG.warn("resuming on different prompts: checkpoint data_hash {} vs {}", s.dataHash(),
                            prompts.dataHash());
                }
                MetricsLog.truncateAfter(out.resolve("metrics.jsonl"), done);
                LOG.info("resumed from {} at iteration {}", resumeFrom, done);
            }
            writeRunJson();
            Map<String, Double> first = null;
            Map<String, Double> last = new LinkedHashMap<>();
            double[] timing = new double[3];
            boolean interrupted = false;
            try (MetricsLog log = new MetricsLog(out.resolve("metrics.jsonl"))) {
                while (done < iterations) {
                    int[] idx = prompts.batchIndices(args.seed(), done, cfg.rolloutBatchSize());
                    PpoIteration.Result r = it.run(prompts.select(idx), args.seed(), done);
                    done++;
                    check(done, r.metrics());
                    last = r.metrics();
                    first = first == null ? last : first;
                    timing[0] += last.get("generation_s");
                    timing[1] += last.get("scoring_s");
                    timing[2] += last.get("training_s");
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("step", done);
                    line.put("episodes", done * cfg.rolloutBatchSize());
                    line.put("epoch", epoch(done));
                    line.putAll(last);
                    line.put("elapsed_s", elapsed());
                    log.append(line);
                    LOG.info("iteration {}/{}: score {} kl {} policy_loss {} value_loss {}", done, iterations,
                            fmt(last.get("score")), fmt(last.get("kl")), fmt(last.get("policy_loss")),
                            fmt(last.get("value_loss")));
                    interrupted = Interrupts.requested() && done < iterations;
                    if (interrupted || done == iterations || (args.saveSteps() > 0 && done % args.saveSteps() == 0)) {
                        log.sync();
                        Path ckpt = PpoCheckpoint.save(out, done, iterations, epoch(done), args.seed(),
                                last.getOrDefault("lr", 0.0), prompts.dataHash(), elapsed(), weights, it);
                        Checkpoint.prune(Checkpoint.dir(out), args.saveTotalLimit(), -1);
                        LOG.info("checkpoint {}", ckpt);
                    }
                    if (interrupted) {
                        LOG.warn("stopped at iteration {}: resume with resume_from_checkpoint=latest", done);
                        break;
                    }
                }
            }
            Path modelDir = interrupted ? null : export(done, last);
            return new Result(out, modelDir, done, first == null ? Map.of() : first, last, timing[0], timing[1],
                    timing[2], interrupted);
        }

        private void writeRunJson() {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("seed", args.seed());
            run.put("data_hash", prompts.dataHash());
            run.put("project_version", Version.project());
            run.put("started_at", Instant.now().toString());
            run.put("prompts", prompts.size());
            run.put("iterations", iterations);
            run.put("trainable_parameters",
                    it.trainable().values().stream().mapToLong(p -> p.getArray().size()).sum());
            run.put("device", policy.manager().getDevice().toString());
            run.put("resumed_from", resumeFrom == null ? null : resumeFrom.toString());
            Json.write(out.resolve("run.json"), run);
        }

        private void check(long iteration, Map<String, Double> m) {
            m.forEach((k, v) -> {
                if (!Double.isFinite(v)) {
                    throw new IllegalStateException(k + " is " + v + " at iteration " + iteration
                            + "; the last checkpoint is in " + Checkpoint.dir(out));
                }
            });
        }

        private double epoch(long done) {
            return (double) done * cfg.rolloutBatchSize() / prompts.size();
        }

        private double elapsed() {
            return wallBefore + (System.nanoTime() - start) / 1e9;
        }

        /** output_dir/model (LoRA merged into the weights) and samples.jsonl. */
        private Path export(long done, Map<String, Double> last) {
            Map<String, Object> prov = new LinkedHashMap<>();
            prov.put("method", "ppo");
            prov.put("base_model", cfg.policy());
            prov.put("reward_model", cfg.rewardModel());
            prov.put("prompts", cfg.prompts());
            prov.put("data_hash", prompts.dataHash());
            prov.put("seed", args.seed());
            prov.put("iterations", done);
            prov.put("episodes", done * cfg.rolloutBatchSize());
            prov.put("metrics", last);
            prov.put("config", ConfigLoader.toTree(args, peft, cfg));
            Path dir = out.resolve("model");
            CausalLM model = policy.model();
            if (!lora()) {
                policy.save(dir, prov);
                writeSamples(policy);
                return dir;
            }
            Lora.merge(model);
            try (ModelBundle plain = ModelBundle.load(Path.of(cfg.policy()), policy.manager().getDevice(),
                    cfg.template())) {
                Map<String, Parameter> merged = model.namedParameters();
                plain.model().namedParameters().forEach((name, p) -> merged.get(name).getArray().copyTo(p.getArray()));
                plain.save(dir, prov);
                writeSamples(plain);
            } finally {
                Lora.unmerge(model);
            }
            return dir;
        }

        private void writeSamples(ModelBundle bundle) {
            if (samples == null) {
                return;
            }
            int n = Math.min(cfg.sampleN(), samples.size());
            PpoSamples.write(out.resolve(PpoSamples.FILE), bundle, samples.messages().subList(0, n),
                    samples.ids().subList(0, n), cfg, scorer, args.seed());
        }
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
