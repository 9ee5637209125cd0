package dev.align4j.onlinerl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.Autocast;
import dev.align4j.core.stats.Stats;
import dev.align4j.core.train.AdamW;
import dev.align4j.core.train.DataOrder;
import dev.align4j.core.train.LossScaler;
import dev.align4j.core.train.LrSchedule;
import dev.align4j.core.train.OptimizerStep;
import dev.align4j.core.train.SchedulerType;
import dev.align4j.rl.Forward;
import dev.align4j.rl.RewardInput;
import dev.align4j.rl.Rollout;
import dev.align4j.rl.Rollouts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One critic-free iteration (GRPO / RLOO / REINFORCE++):
 *
 * <ol>
 *   <li>rollout: each prompt repeated num_generations times (rows g*G .. g*G+G-1), row i of
 *       iteration k sampled with seed rowSeed(mix(seed, k), i);</li>
 *   <li>score: the policy's log-probs and entropy by a no-dropout forward in the training layout (so
 *       the first pass's ratio is exactly 1), the reference's when beta > 0, and the rewards of
 *       (prompt, completion, answer) rows;</li>
 *   <li>advantages for the algorithm ({@link Advantages});</li>
 *   <li>num_iterations passes over shuffled mini-batches: the clipped surrogate (+ beta k3 for
 *       GRPO) reduced by loss_type ({@link CriticFreeLoss}), one shared {@link OptimizerStep} per
 *       mini-batch.</li>
 * </ol>
 */
public final class OnlineRlIteration implements AutoCloseable {

    private final OnlineRlConfig cfg;
    private final OnlineRlModels models;
    private final OptimizerStep step;
    private final LrSchedule schedule;
    private final int microBatch;
    private final int forwardBatch;
    private final int eosId;

    private OnlineRlIteration(Builder b) {
        this.cfg = b.cfg;
        this.models = b.models;
        this.step = new OptimizerStep(models.trainable(), b.adam, b.maxGradNorm, b.fp16InitialScale, base());
        this.schedule = b.schedule;
        this.microBatch = b.microBatch;
        this.forwardBatch = b.forwardBatch;
        this.eosId = b.eosId;
    }

    public static Builder builder(OnlineRlConfig cfg, OnlineRlModels models) {
        return new Builder(cfg, models);
    }

    public OptimizerStep optimizerStep() {
        return step;
    }

    private NDManager base() {
        return models.policy().embedTokens().weight().getArray().getManager();
    }

    /** Runs iteration {@code iteration} on {@code prompts} (ids) with their reference answers (null entries allowed). */
    public Result run(List<int[]> prompts, List<String> answers, long seed, long iteration) {
        long iterSeed = DataOrder.mix(seed, iteration);
        Engine.getInstance().setRandomSeed((int) iterSeed); // dropout, if enabled
        Map<String, Double> m = new LinkedHashMap<>();
        List<int[]> rows = new ArrayList<>();
        List<String> rowAnswers = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            for (int j = 0; j < cfg.numGenerations(); j++) {
                rows.add(prompts.get(p));
                rowAnswers.add(answers.get(p));
            }
        }
        long t0 = System.nanoTime();
        Rollout r = Rollouts.generate(models.policy(), rows, SamplingParams.builder().temperature(cfg.temperature())
                .topK(cfg.topK()).topP(cfg.topP()).maxNewTokens(cfg.maxNewTokens()).eosTokenId(eosId)
                .seed(iterSeed).build());
        long t1 = System.nanoTime();
        score(r, rowAnswers, m);
        Advantages.fill(r, cfg, m);
        long t2 = System.nanoTime();
        train(r, iterSeed, m);
        long t3 = System.nanoTime();
        m.put("generation_s", (t1 - t0) / 1e9);
        m.put("scoring_s", (t2 - t1) / 1e9);
        m.put("training_s", (t3 - t2) / 1e9);
        return new Result(m, r);
    }

    /** logp, entropy, refLogp (no gradient, no dropout), raw and penalised rewards; rollout metrics. */
    void score(Rollout r, List<String> answers, Map<String, Double> m) {
        int b = r.size();
        r.logp = new float[b][];
        r.entropy = new float[b][];
        boolean ref = models.reference() != null && cfg.beta() > 0;
        r.refLogp = ref ? new float[b][] : null;
        for (int from = 0; from < b; from += forwardBatch) {
            int[] rows = java.util.stream.IntStream.range(from, Math.min(b, from + forwardBatch)).toArray();
            try (NDManager mgr = base().newSubManager(); NDScope scope = new NDScope()) {
                Rollout.Tensors t = r.tensors(rows, mgr);
                NDArray logits = Forward.logits(models.policy(), t, false);
                r.scatter(Forward.logProbs(logits, t), rows, r.logp);
                r.scatter(Forward.entropy(logits), rows, r.entropy);
                if (ref) {
                    r.scatter(models.reference().logProbs(t), rows, r.refLogp);
                }
                scope.suppressNotUsedWarning();
            }
        }
        r.rawScores = models.reward().score(new RewardInput(Arrays.asList(r.prompts), Arrays.asList(r.responses),
                answers));
        r.scores = r.rawScores.clone();
        int eos = 0;
        for (int i = 0; i < b; i++) {
            eos += r.eos[i] ? 1 : 0;
            if (cfg.missingEosPenalty() != null && !r.eos[i]) {
                r.scores[i] -= cfg.missingEosPenalty().floatValue();
            }
        }
        m.put("reward", Stats.mean(r.rawScores));
        m.put("reward_std", Stats.sampleStd(Stats.toDouble(r.rawScores)));
        models.reward().lastComponents().forEach((name, v) -> m.put("rewards/" + name + "/mean", Stats.mean(v)));
        m.put("entropy", Stats.tokenMean(r.entropy, r.lengths));
        double[] len = Stats.toDouble(r.lengths);
        m.put("completions/mean_length", Stats.mean(len));
        m.put("completions/min_length", Arrays.stream(len).min().orElse(0));
        m.put("completions/max_length", Arrays.stream(len).max().orElse(0));
        m.put("completions/clipped_ratio", 1 - (double) eos / b);
        m.put("eos_rate", (double) eos / b);
    }

    /** num_iterations passes over shuffled mini-batches of the trained rows; one optimizer step each. */
    void train(Rollout r, long iterSeed, Map<String, Double> m) {
        int[] pool = trainedRows(r);
        Map<String, Double> sums = new LinkedHashMap<>();
        int updates = 0;
        LossScaler scaler = step.scaler();
        long skippedBefore = scaler == null ? 0 : scaler.skipped();
        for (int pass = 0; pass < cfg.numIterations() && pool.length > 0; pass++) {
            int[] perm = DataOrder.permutation(iterSeed, pass, pool.length);
            for (int from = 0; from < pool.length; from += cfg.miniBatchSize()) {
                int[] mini = new int[Math.min(pool.length, from + cfg.miniBatchSize()) - from];
                for (int k = 0; k < mini.length; k++) {
                    mini[k] = pool[perm[from + k]];
                }
                long tokens = r.tokens(mini);
                for (int k = 0; k < mini.length; k += microBatch) {
                    int[] micro = Arrays.copyOfRange(mini, k, Math.min(mini.length, k + microBatch));
                    CriticFreeLoss.Norm n = new CriticFreeLoss.Norm(mini.length, tokens, micro.length,
                            cfg.maxNewTokens());
                    microStep(r, micro, n, (double) r.tokens(micro) / Math.max(1, tokens), sums);
                }
                double lr = schedule.lr(step.optimizer().stepCount());
                OptimizerStep.Outcome o = step.apply(lr, step.stepsDone() + 1);
                if (o.taken()) {
                    sums.merge("grad_norm", o.gradNorm(), Double::sum);
                }
                m.put("lr", lr);
                updates++;
            }
        }
        int n = Math.max(1, updates);
        sums.forEach((k, v) -> m.put(k, v / n));
        m.put("clip_ratio/region_mean", m.getOrDefault("clip_ratio/low_mean", 0.0)
                + m.getOrDefault("clip_ratio/high_mean", 0.0));
        if (scaler != null) {
            long taken = updates - (scaler.skipped() - skippedBefore);
            if (sums.containsKey("grad_norm")) {
                m.put("grad_norm", taken > 0 ? sums.get("grad_norm") / taken : Double.NaN);
            }
            step.putScalerMetrics(m);
        }
    }

    /** Rows in the loss: all, or with mask_truncated_completions only those that ended with EOS. */
    private int[] trainedRows(Rollout r) {
        return java.util.stream.IntStream.range(0, r.size())
                .filter(i -> !cfg.maskTruncatedCompletions() || r.eos[i]).toArray();
    }

    /** Forward and backward of one micro-batch; {@code share} (its token share) weighs its metrics. */
    private void microStep(Rollout r, int[] rows, CriticFreeLoss.Norm norm, double share, Map<String, Double> sums) {
        try (NDManager mgr = base().newSubManager(); NDScope scope = new NDScope()) {
            Terms terms;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                terms = loss(r, rows, norm, mgr);
                step.backward(gc, terms.loss(), 1.0);
            }
            step.afterBackward();
            NDArray lp = terms.logp().stopGradient();
            double[] clip = CriticFreeLoss.clipRatios(lp, terms.oldLogp(), terms.adv(), terms.mask(), cfg.epsilon(),
                    cfg.epsilonHigh());
            sums.merge("loss", (double) terms.loss().getFloat(), Double::sum);
            sums.merge("clip_ratio/low_mean", clip[0] * share, Double::sum);
            sums.merge("clip_ratio/high_mean", clip[1] * share, Double::sum);
            float tokens = Math.max(1f, terms.mask().sum().getFloat());
            sums.merge("ratio", lp.sub(terms.oldLogp()).exp().mul(terms.mask()).sum().getFloat() / tokens * share,
                    Double::sum);
            scope.suppressNotUsedWarning();
        }
    }

    /** The tensors of one micro-batch's loss; {@code loss} is differentiable in the policy. */
    record Terms(NDArray loss, NDArray logp, NDArray oldLogp, NDArray adv, NDArray mask) {
    }

    /** The loss of {@code rows} (a micro-batch) under {@code norm}, with its graph (call inside a collector). */
    Terms loss(Rollout r, int[] rows, CriticFreeLoss.Norm norm, NDManager mgr) {
        Rollout.Tensors t = r.tensors(rows, mgr);
        NDArray oldLogp = r.gather(r.logp, rows, mgr);
        NDArray adv = r.gather(r.advantages, rows, mgr);
        NDArray ref = r.refLogp == null || cfg.algo() != Algorithm.GRPO ? null : r.gather(r.refLogp, rows, mgr);
        NDArray logp;
        try (Autocast ac = step.autocast(mgr, true)) {
            logp = Forward.logProbs(Forward.logits(models.policy(), t, !cfg.disableDropout()), t);
        }
        NDArray perToken = CriticFreeLoss.withKl(
                CriticFreeLoss.surrogate(logp, oldLogp, adv, cfg.epsilon(), cfg.epsilonHigh()), logp, ref, cfg.beta());
        return new Terms(CriticFreeLoss.reduce(perToken, t.responseMask(), cfg.loss(), norm), logp, oldLogp, adv,
                t.responseMask());
    }

    @Override
    public void close() {
        step.close();
    }

    /** An iteration's metrics and its rollout (for samples and tests). */
    public record Result(Map<String, Double> metrics, Rollout rollout) {
    }

    /** Collects the parts of an {@link OnlineRlIteration}; unset: AdamW defaults, lr 1e-6 constant (TRL GRPO). */
    public static final class Builder {
        private final OnlineRlConfig cfg;
        private final OnlineRlModels models;
        private AdamW.Config adam = AdamW.Config.defaults();
        private LrSchedule schedule = new LrSchedule(SchedulerType.CONSTANT, 1e-6, 0, 1);
        private double maxGradNorm = 1.0;
        private int microBatch = 8;
        private int forwardBatch = 8;
        private int eosId = -1;
        private Double fp16InitialScale;

        private Builder(OnlineRlConfig cfg, OnlineRlModels models) {
            this.cfg = cfg;
            this.models = models;
        }

        public Builder optAdam(AdamW.Config v) { adam = v; return this; }

        public Builder optSchedule(LrSchedule v) { schedule = v; return this; }

        public Builder optMaxGradNorm(double v) { maxGradNorm = v; return this; }

        /** Completions per forward/backward. */
        public Builder optMicroBatch(int v) { microBatch = v; return this; }

        /** Completions per no-gradient forward when scoring. */
        public Builder optForwardBatch(int v) { forwardBatch = v; return this; }

        public Builder optEosId(int v) { eosId = v; return this; }

        /** fp16 updates with dynamic loss scaling from {@code initialScale}; null: fp32. */
        public Builder optFp16(Double initialScale) { fp16InitialScale = initialScale; return this; }

        public OnlineRlIteration build() {
            if (microBatch < 1 || forwardBatch < 1) {
                throw new IllegalArgumentException("micro and forward batch sizes must be >= 1");
            }
            return new OnlineRlIteration(this);
        }
    }
}
