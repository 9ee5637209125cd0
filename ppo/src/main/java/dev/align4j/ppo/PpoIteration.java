package dev.align4j.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.Autocast;
import dev.align4j.core.train.AdamW;
import dev.align4j.core.train.DataOrder;
import dev.align4j.core.train.LossScaler;
import dev.align4j.core.train.LrSchedule;
import dev.align4j.core.train.OptimizerStep;
import dev.align4j.datasets.bundle.RewardStats;
import dev.align4j.rl.AdvantageEstimator;
import dev.align4j.rl.CombinedReward;
import dev.align4j.rl.Forward;
import dev.align4j.rl.KlEstimator;
import dev.align4j.rl.PolicyLoss;
import dev.align4j.rl.RewardInput;
import dev.align4j.rl.Rollout;
import dev.align4j.rl.Rollouts;
import dev.align4j.rl.Whitening;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.align4j.core.math.Ops;

/**
 * One PPO iteration (Ouyang et al. 2022 / TRL PPOTrainer):
 *
 * <ol>
 *   <li>rollout: sample a response per prompt from the current policy; row i of iteration k draws
 *       with seed rowSeed(mix(seed, k), i), so a run is reproducible and resumable;
 *   <li>score: policy log-probs and entropy recomputed by a no-dropout forward in the training
 *       layout (so the first update's ratio is exactly 1), reference log-probs, critic values and
 *       the reward model's score of prompt + response;
 *   <li>per-token rewards ({@link PpoRewards}), GAE (rl's {@link AdvantageEstimator#GAE}), advantage
 *       whitening ({@link Whitening});
 *   <li>ppo_epochs passes of shuffled mini-batches: clipped policy loss + vf_coef x clipped value
 *       loss ({@link PolicyLoss}, {@link PpoLoss}), one shared {@link OptimizerStep} (unscale, check,
 *       clip, AdamW) of policy and critic per mini-batch.
 * </ol>
 *
 * The optimizer's step count drives the learning-rate schedule, so a resumed run continues it.
 */
public final class PpoIteration implements AutoCloseable {

    private final PpoConfig cfg;
    private final PpoModels models;
    private final Map<String, Parameter> trainable = new LinkedHashMap<>();
    private final OptimizerStep step;
    private final LrSchedule schedule;
    private final int microBatch;
    private final int forwardBatch;
    private final int eosId;
    private final RewardStats stats;
    private final CombinedReward extra;
    private final KlController kl;

    private PpoIteration(Builder b) {
        this.cfg = b.cfg;
        this.models = b.models;
        models.policyTrainable().forEach((k, v) -> trainable.put("policy." + k, v));
        models.critic().parameters().forEach((k, v) -> trainable.put("critic." + k, v));
        this.step = new OptimizerStep(trainable, b.adam, b.maxGradNorm, b.fp16InitialScale, base());
        this.schedule = b.schedule;
        this.microBatch = b.microBatch;
        this.forwardBatch = b.forwardBatch;
        this.eosId = b.eosId;
        this.stats = b.stats;
        this.extra = b.extra;
        this.kl = KlController.of(cfg);
    }

    /** A builder for the iteration of {@code cfg} on {@code models}. */
    public static Builder builder(PpoConfig cfg, PpoModels models) {
        return new Builder(cfg, models);
    }

    /** The fp16 loss scaler, or null when fp16 is off. */
    public LossScaler scaler() {
        return step.scaler();
    }

    /** The shared optimizer step (AdamW state, fp16 scaler) of policy and critic. */
    public OptimizerStep optimizerStep() {
        return step;
    }

    /** Trainable parameters by name, {@code policy.*} and {@code critic.*}. */
    public Map<String, Parameter> trainable() {
        return trainable;
    }

    public AdamW optimizer() {
        return step.optimizer();
    }

    public KlController kl() {
        return kl;
    }

    private NDManager base() {
        return models.policy().embedTokens().weight().getArray().getManager();
    }

    /** Runs iteration {@code iteration} on {@code prompts} (token ids); returns its metrics and rollout. */
    public Result run(List<int[]> prompts, long seed, long iteration) {
        long iterSeed = DataOrder.mix(seed, iteration);
        Engine.getInstance().setRandomSeed((int) iterSeed); // dropout, if enabled
        Map<String, Double> m = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Rollout r = rollout(prompts, iterSeed);
        long t1 = System.nanoTime();
        score(r);
        long t2 = System.nanoTime();
        double klCoef = kl.value();
        double[] seqKl = assemble(r, klCoef, m);
        train(r, iterSeed, m);
        long t3 = System.nanoTime();
        kl.update(mean(seqKl), r.size());
        m.put("generation_s", (t1 - t0) / 1e9);
        m.put("scoring_s", (t2 - t1) / 1e9);
        m.put("training_s", (t3 - t2) / 1e9);
        return new Result(m, r);
    }

    /** Sampled responses, their EOS flags and the batch layout ({@link Rollouts#generate}). */
    Rollout rollout(List<int[]> prompts, long iterSeed) {
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature()).topK(cfg.topK())
                .topP(cfg.topP()).maxNewTokens(cfg.maxNewTokens()).eosTokenId(eosId).seed(iterSeed).build();
        return Rollouts.generate(models.policy(), prompts, params);
    }

    /** Fills logp, entropy, refLogp, values (no gradient, no dropout) and the raw scores. */
    void score(Rollout r) {
        int b = r.size();
        r.logp = new float[b][];
        r.entropy = new float[b][];
        r.refLogp = new float[b][];
        r.values = new float[b][];
        for (int from = 0; from < b; from += forwardBatch) {
            int[] rows = range(from, Math.min(b, from + forwardBatch));
            try (NDManager mgr = base().newSubManager(); NDScope scope = new NDScope()) {
                Rollout.Tensors t = r.tensors(rows, mgr);
                NDArray logits = Forward.logits(models.policy(), t, false);
                r.scatter(Forward.logProbs(logits, t), rows, r.logp);
                r.scatter(Forward.entropy(logits), rows, r.entropy);
                r.scatter(models.reference().logProbs(t), rows, r.refLogp);
                r.scatter(Forward.values(models.critic().backbone(), models.critic().head(), t, false), rows,
                        r.values);
                scope.suppressNotUsedWarning();
            }
        }
        r.rawScores = models.reward().score(Arrays.asList(r.prompts), Arrays.asList(r.responses));
    }

    /** Scores, per-token rewards, GAE; returns each sequence's KL. Logs rollout metrics into {@code m}. */
    double[] assemble(Rollout r, double klCoef, Map<String, Double> m) {
        int b = r.size();
        r.scores = new float[b];
        for (int i = 0; i < b; i++) {
            r.scores[i] = (float) (stats == null ? r.rawScores[i] : stats.normalize(r.rawScores[i]));
        }
        if (extra != null) {
            r.scores = extra.score(RewardInput.of(Arrays.asList(r.prompts), Arrays.asList(r.responses)), r.scores);
            extra.lastComponents().forEach((name, v) -> m.put("rewards/" + name + "/mean", mean(v)));
        }
        for (int i = 0; i < b; i++) {
            double s = r.scores[i];
            if (cfg.missingEosPenalty() != null && !r.eos[i]) {
                s -= cfg.missingEosPenalty();
            }
            r.scores[i] = (float) s;
        }
        double[] seqKl = KlEstimator.K1.perSequence(r.logp, r.refLogp, r.lengths);
        r.rewards = PpoRewards.perToken(r.logp, r.refLogp, r.scores, r.lengths, klCoef);
        if (cfg.whitenRewards()) {
            Whitening.whiten(r.rewards, r.lengths, false);
        }
        AdvantageEstimator.Advantages g = AdvantageEstimator.GAE.estimate(new AdvantageEstimator.Input(
                r.rewards, r.values, r.scores, r.lengths, cfg.gamma(), cfg.lam()));
        r.returns = g.returns();
        m.put("score", mean(r.rawScores));
        m.put("score_normalized", mean(r.scores));
        m.put("kl", mean(seqKl));
        m.put("kl_coef", klCoef);
        m.put("non_score_reward", -klCoef * mean(seqKl));
        m.put("entropy", tokenMean(r.entropy, r.lengths));
        m.put("advantages_mean", tokenMean(g.advantages(), r.lengths));
        m.put("returns_mean", tokenMean(r.returns, r.lengths));
        m.put("values_mean", tokenMean(r.values, r.lengths));
        m.put("response_length", Arrays.stream(r.lengths).average().orElse(0));
        int eos = 0;
        for (boolean e : r.eos) {
            eos += e ? 1 : 0;
        }
        m.put("eos_rate", (double) eos / b);
        r.advantages = Whitening.whiten(g.advantages(), r.lengths);
        return seqKl;
    }

    /** ppo_epochs over shuffled mini-batches; one optimizer step per mini-batch. */
    void train(Rollout r, long iterSeed, Map<String, Double> m) {
        int b = r.size();
        int mb = cfg.miniBatchSize();
        Map<String, Double> sums = new LinkedHashMap<>();
        int updates = 0;
        LossScaler scaler = step.scaler();
        long skippedBefore = scaler == null ? 0 : scaler.skipped();
        for (int epoch = 0; epoch < cfg.ppoEpochs(); epoch++) {
            int[] perm = DataOrder.permutation(iterSeed, epoch, b);
            for (int from = 0; from < b; from += mb) {
                int[] rows = Arrays.copyOfRange(perm, from, Math.min(b, from + mb));
                double total = r.tokens(rows);
                for (int k = 0; k < rows.length; k += microBatch) {
                    int[] micro = Arrays.copyOfRange(rows, k, Math.min(rows.length, k + microBatch));
                    microStep(r, micro, r.tokens(micro) / total, sums);
                }
                double lr = schedule.lr(step.optimizer().stepCount());
                OptimizerStep.Outcome o = step.apply(lr, step.stepsDone() + 1);
                if (o.taken()) {
                    sums.merge("grad_norm", o.gradNorm(), Double::sum);
                } // else an fp16 overflow: the update was skipped and the scale halved
                m.put("lr", lr);
                updates++;
            }
        }
        int n = updates;
        sums.forEach((k, v) -> m.put(k, v / n));
        if (scaler != null) {
            long taken = n - (scaler.skipped() - skippedBefore);
            if (sums.containsKey("grad_norm")) {
                m.put("grad_norm", taken > 0 ? sums.get("grad_norm") / taken : Double.NaN);
            }
            step.putScalerMetrics(m);
        }
    }

    /**
     * Forward and backward of one micro-batch; its losses are token means over the micro-batch
     * scaled by {@code weight} (its share of the mini-batch's tokens), so the summed gradient is
     * exactly the mini-batch token mean's.
     */
    private void microStep(Rollout r, int[] rows, double weight, Map<String, Double> sums) {
        boolean training = !cfg.disableDropout();
        try (NDManager mgr = base().newSubManager(); NDScope scope = new NDScope()) {
            Rollout.Tensors t = r.tensors(rows, mgr);
            NDArray mask = t.responseMask();
            NDArray oldLogp = r.gather(r.logp, rows, mgr);
            NDArray oldValues = r.gather(r.values, rows, mgr);
            NDArray adv = r.gather(r.advantages, rows, mgr);
            NDArray ret = r.gather(r.returns, rows, mgr);
            NDArray logp;
            NDArray values;
            NDArray pg;
            NDArray vf;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                try (Autocast ac = step.autocast(mgr, true)) {
                    logp = Forward.logProbs(Forward.logits(models.policy(), t, training), t);
                    values = Forward.values(models.critic().backbone(), models.critic().head(), t, training);
                }
                pg = PolicyLoss.clipped(logp, oldLogp, adv, mask, cfg.cliprange());
                vf = PpoLoss.value(values, oldValues, ret, mask, cfg.cliprangeValue());
                step.backward(gc, pg.add(Ops.mul(vf, cfg.vfCoef())), weight);
            }
            step.afterBackward();
            NDArray diff = logp.stopGradient().sub(oldLogp);
            float w = (float) weight;
            add(sums, "policy_loss", pg.getFloat() * w);
            add(sums, "value_loss", vf.getFloat() * w);
            add(sums, "clipfrac", PolicyLoss.clipFraction(logp.stopGradient(), oldLogp, mask, cfg.cliprange())
                    .getFloat() * w);
            NDArray vOut = values.stopGradient().sub(oldValues).abs().gt(cfg.cliprangeValue().floatValue())
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            add(sums, "value_clipfrac", maskedMean(vOut, mask) * w);
            // TRL's approxkl: 0.5 E[(log ratio)^2]
            add(sums, "approx_kl", 0.5 * maskedMean(diff.square(), mask) * w);
            add(sums, "ratio", maskedMean(diff.exp(), mask) * w);
            scope.suppressNotUsedWarning();
        }
    }

    private static void add(Map<String, Double> sums, String key, double v) {
        sums.merge(key, v, Double::sum);
    }

    private static double maskedMean(NDArray x, NDArray mask) {
        return x.mul(mask).sum().getFloat() / Math.max(1f, mask.sum().getFloat());
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /** {@link dev.align4j.core.stats.Stats#mean}, 0 for no values (an empty metric reads 0 in PPO's logs). */
    static double mean(float[] x) {
        return x.length == 0 ? 0 : dev.align4j.core.stats.Stats.mean(x);
    }

    static double mean(double[] x) {
        return x.length == 0 ? 0 : dev.align4j.core.stats.Stats.mean(x);
    }

    /** {@link dev.align4j.core.stats.Stats#tokenMean}, 0 for no tokens. */
    static double tokenMean(float[][] x, int[] lengths) {
        double m = dev.align4j.core.stats.Stats.tokenMean(x, lengths);
        return Double.isNaN(m) ? 0 : m;
    }

    /** Frees the optimizer state. */
    @Override
    public void close() {
        step.close();
    }

    /** An iteration's metrics and its rollout (for samples and tests). */
    public record Result(Map<String, Double> metrics, Rollout rollout) {
    }

    /** Collects the parts of a {@link PpoIteration}; unset: AdamW defaults, lr 1e-5 constant. */
    public static final class Builder {
        private final PpoConfig cfg;
        private final PpoModels models;
        private AdamW.Config adam = AdamW.Config.defaults();
        private LrSchedule schedule = new LrSchedule(dev.align4j.core.train.SchedulerType.CONSTANT, 1e-5, 0, 1);
        private double maxGradNorm = 1.0;
        private int microBatch = 8;
        private int forwardBatch = 8;
        private int eosId = -1;
        private RewardStats stats;
        private CombinedReward extra;
        private Double fp16InitialScale;

        private Builder(PpoConfig cfg, PpoModels models) {
            this.cfg = cfg;
            this.models = models;
        }

        public Builder optAdam(AdamW.Config v) { adam = v; return this; }

        public Builder optSchedule(LrSchedule v) { schedule = v; return this; }

        public Builder optMaxGradNorm(double v) { maxGradNorm = v; return this; }

        /** Sequences per forward/backward (a mini-batch's gradient is summed over them). */
        public Builder optMicroBatch(int v) { microBatch = v; return this; }

        /** Sequences per no-gradient forward when scoring. */
        public Builder optForwardBatch(int v) { forwardBatch = v; return this; }

        /** End-of-sequence id (-1 for none). */
        public Builder optEosId(int v) { eosId = v; return this; }

        /** Reward normalisation, or null to use raw scores. */
        public Builder optRewardStats(RewardStats v) { stats = v; return this; }

        /** Reward functions added to the normalised score (gates act on the total), or null for none. */
        public Builder optExtraReward(CombinedReward v) { extra = v; return this; }

        /**
         * fp16 mixed precision for the updates (float16 copies of policy and critic, float32 masters,
         * dynamic loss scaling starting at {@code initialScale}; null: fp32). Rollouts stay float32.
         */
        public Builder optFp16(Double initialScale) { fp16InitialScale = initialScale; return this; }

        public PpoIteration build() {
            if (microBatch < 1 || forwardBatch < 1) {
                throw new IllegalArgumentException("micro and forward batch sizes must be >= 1, got " + microBatch
                        + " and " + forwardBatch);
            }
            return new PpoIteration(this);
        }
    }
}
