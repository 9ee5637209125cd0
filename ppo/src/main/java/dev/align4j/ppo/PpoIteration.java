package dev.align4j.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.align4j.core.gen.FinishReason;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.train.AdamW;
import dev.align4j.core.train.DataOrder;
import dev.align4j.core.train.GradClip;
import dev.align4j.core.train.LossScaler;
import dev.align4j.core.train.LrSchedule;
import dev.align4j.core.train.MixedPrecision;
import dev.align4j.core.model.Autocast;
import dev.align4j.datasets.bundle.RewardStats;

import java.util.ArrayList;
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
 *   <li>per-token rewards ({@link PpoRewards}), GAE ({@link Gae}), advantage whitening;
 *   <li>ppo_epochs passes of shuffled mini-batches: clipped policy loss + vf_coef x clipped value
 *       loss ({@link PpoLoss}), one AdamW step of policy and critic per mini-batch after global-norm
 *       clipping.
 * </ol>
 *
 * The optimizer's step count drives the learning-rate schedule, so a resumed run continues it.
 */
public final class PpoIteration implements AutoCloseable {

    private final PpoConfig cfg;
    private final PpoModels models;
    private final Map<String, Parameter> trainable = new LinkedHashMap<>();
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final double maxGradNorm;
    private final int microBatch;
    private final int forwardBatch;
    private final int eosId;
    private final RewardStats stats;
    private final KlController kl;
    private LossScaler scaler;
    private MixedPrecision half;

    /**
     * @param microBatch sequences per forward/backward (a mini-batch's gradient is summed over them)
     * @param forwardBatch sequences per no-gradient forward when scoring
     * @param eosId end-of-sequence id (-1 for none)
     * @param stats reward normalisation, or null to use raw scores
     */
    public PpoIteration(PpoConfig cfg, PpoModels models, AdamW.Config adam, LrSchedule schedule,
            double maxGradNorm, int microBatch, int forwardBatch, int eosId, RewardStats stats) {
        this.cfg = cfg;
        this.models = models;
        models.policyTrainable().forEach((k, v) -> trainable.put("policy." + k, v));
        models.critic().parameters().forEach((k, v) -> trainable.put("critic." + k, v));
        this.optimizer = new AdamW(trainable, adam);
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
        this.microBatch = microBatch;
        this.forwardBatch = forwardBatch;
        this.eosId = eosId;
        this.stats = stats;
        this.kl = KlController.of(cfg);
    }

    /**
     * Turns on fp16 mixed precision for the updates (float16 copies of policy and critic for the
     * forward and backward, float32 masters, dynamic loss scaling; see core.train.MixedPrecision).
     * Rollouts and scoring stay float32.
     */
    public void enableFp16(double initialScale) {
        this.scaler = new LossScaler(initialScale);
        this.half = new MixedPrecision(trainable.values(), base());
    }

    /** The fp16 loss scaler, or null when fp16 is off. */
    public LossScaler scaler() {
        return scaler;
    }

    /** Trainable parameters by name, {@code policy.*} and {@code critic.*}. */
    public Map<String, Parameter> trainable() {
        return trainable;
    }

    public AdamW optimizer() {
        return optimizer;
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

    /** Sampled responses, their EOS flags and the batch layout. */
    Rollout rollout(List<int[]> prompts, long iterSeed) {
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature()).topK(cfg.topK())
                .topP(cfg.topP()).maxNewTokens(cfg.maxNewTokens()).eosTokenId(eosId).seed(iterSeed).build();
        long[] seeds = new long[prompts.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = SamplingParams.rowSeed(iterSeed, i);
        }
        List<Generation> gens = new Generator(models.policy()).generate(prompts, seeds, params, null);
        List<int[]> responses = new ArrayList<>();
        boolean[] eos = new boolean[gens.size()];
        for (int i = 0; i < gens.size(); i++) {
            responses.add(gens.get(i).tokens());
            eos[i] = gens.get(i).finishReason() == FinishReason.EOS;
        }
        return new Rollout(prompts, responses, eos);
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
                NDArray logits = PpoForward.logits(models.policy(), t, false);
                r.scatter(PpoForward.logProbs(logits, t), rows, r.logp);
                r.scatter(PpoForward.entropy(logits), rows, r.entropy);
                r.scatter(models.reference().logProbs(t), rows, r.refLogp);
                r.scatter(PpoForward.values(models.critic().backbone(), models.critic().head(), t, false), rows,
                        r.values);
                scope.suppressNotUsedWarning();
            }
        }
        r.rawScores = models.scorer().score(Arrays.asList(r.prompts), Arrays.asList(r.responses));
    }

    /** Scores, per-token rewards, GAE; returns each sequence's KL. Logs rollout metrics into {@code m}. */
    double[] assemble(Rollout r, double klCoef, Map<String, Double> m) {
        int b = r.size();
        r.scores = new float[b];
        for (int i = 0; i < b; i++) {
            double s = stats == null ? r.rawScores[i] : stats.normalize(r.rawScores[i]);
            if (cfg.missingEosPenalty() != null && !r.eos[i]) {
                s -= cfg.missingEosPenalty();
            }
            r.scores[i] = (float) s;
        }
        double[] seqKl = PpoRewards.sequenceKl(r.logp, r.refLogp, r.lengths);
        r.rewards = PpoRewards.perToken(r.logp, r.refLogp, r.scores, r.lengths, klCoef);
        if (cfg.whitenRewards()) {
            Gae.whiten(r.rewards, r.lengths, false);
        }
        Gae.Result g = Gae.compute(r.rewards, r.values, r.lengths, cfg.gamma(), cfg.lam());
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
        r.advantages = Gae.whiten(g.advantages(), r.lengths);
        return seqKl;
    }

    /** ppo_epochs over shuffled mini-batches; one optimizer step per mini-batch. */
    void train(Rollout r, long iterSeed, Map<String, Double> m) {
        int b = r.size();
        int mb = cfg.miniBatchSize();
        Map<String, Double> sums = new LinkedHashMap<>();
        int updates = 0;
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
                double lr = schedule.lr(optimizer.stepCount());
                try (NDScope scope = new NDScope()) {
                    List<NDArray> grads = new ArrayList<>();
                    for (Parameter p : trainable.values()) {
                        if (p.getArray().hasGradient()) {
                            grads.add(p.getArray().getGradient());
                        }
                    }
                    if (scaler == null) {
                        sums.merge("grad_norm", GradClip.clipGlobalNorm(grads, maxGradNorm), Double::sum);
                        optimizer.step(lr);
                    } else {
                        scaler.unscale(grads);
                        double norm = GradClip.globalNorm(grads);
                        if (scaler.update(Double.isFinite(norm))) {
                            GradClip.clip(grads, maxGradNorm, norm);
                            sums.merge("grad_norm", norm, Double::sum);
                            optimizer.step(lr);
                        } else {
                            optimizer.zeroGrad(); // fp16 overflow: skip this update, the scale halved
                        }
                    }
                    scope.suppressNotUsedWarning();
                }
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
            m.put("loss_scale", scaler.scale());
            m.put("skipped_steps", (double) scaler.skipped());
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
                try (Autocast ac = half == null ? null : half.open(mgr, true)) {
                    logp = PpoForward.logProbs(PpoForward.logits(models.policy(), t, training), t);
                    values = PpoForward.values(models.critic().backbone(), models.critic().head(), t, training);
                }
                pg = PpoLoss.policy(logp, oldLogp, adv, mask, cfg.cliprange());
                vf = PpoLoss.value(values, oldValues, ret, mask, cfg.cliprangeValue());
                double factor = weight * (scaler == null ? 1.0 : scaler.scale());
                gc.backward(Ops.mul(pg.add(Ops.mul(vf, cfg.vfCoef())), factor));
            }
            if (half != null) {
                half.moveGradients();
            }
            NDArray diff = logp.stopGradient().sub(oldLogp);
            float w = (float) weight;
            add(sums, "policy_loss", pg.getFloat() * w);
            add(sums, "value_loss", vf.getFloat() * w);
            add(sums, "clipfrac", PpoLoss.clipFraction(logp.stopGradient(), oldLogp, mask, cfg.cliprange())
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

    static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return x.length == 0 ? 0 : s / x.length;
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(0);
    }

    static double tokenMean(float[][] x, int[] lengths) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                s += x[i][t];
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    /** Frees the optimizer state. */
    @Override
    public void close() {
        optimizer.close();
        if (half != null) {
            half.close();
        }
    }

    /** An iteration's metrics and its rollout (for samples and tests). */
    public record Result(Map<String, Double> metrics, Rollout rollout) {
    }
}
