package dev.align4j.onlinerl;

import dev.align4j.rl.GroupAdvantages;
import dev.align4j.rl.KlEstimator;
import dev.align4j.rl.Rollout;
import dev.align4j.rl.Whitening;

import java.util.Map;

/**
 * Per-token advantages of one rollout for each {@link Algorithm}, from the rewards in
 * {@code r.scores} (after any missing-EOS penalty) and, where beta > 0 and a reference is held, the
 * log-probs in {@code r.logp} / {@code r.refLogp}; fills {@code r.advantages} and logs into {@code m}.
 */
final class Advantages {

    private Advantages() {
    }

    static void fill(Rollout r, OnlineRlConfig cfg, Map<String, Double> m) {
        int g = cfg.numGenerations();
        boolean kl = cfg.beta() > 0 && r.refLogp != null;
        double[] seqKl = kl ? KlEstimator.K1.perSequence(r.logp, r.refLogp, r.lengths) : null;
        if (g > 1) {
            m.put("frac_reward_zero_std", (double) GroupAdvantages.groupRelative(r.scores, g,
                    GroupAdvantages.Scale.NONE).zeroStdGroups() / (r.size() / g));
        }
        switch (cfg.algo()) {
            case GRPO -> {
                GroupAdvantages.Result a = GroupAdvantages.groupRelative(r.scores, g, cfg.scale());
                m.put("reward_std", a.groupStdMean());
                r.advantages = GroupAdvantages.broadcast(a.advantages(), r.lengths, r.responseWidth);
            }
            case RLOO -> {
                float[] shaped = new float[r.size()];
                for (int i = 0; i < shaped.length; i++) {
                    shaped[i] = (float) (r.scores[i] - (kl ? cfg.beta() * seqKl[i] : 0));
                }
                double[] a = GroupAdvantages.leaveOneOut(shaped, g);
                if (cfg.normalizeAdvantages()) {
                    a = whitenRows(a);
                }
                m.put("rlhf_reward", dev.align4j.core.stats.Stats.mean(shaped));
                r.advantages = GroupAdvantages.broadcast(a, r.lengths, r.responseWidth);
            }
            case REINFORCE_PP -> {
                float[][] tok = new float[r.size()][r.responseWidth];
                for (int i = 0; i < r.size(); i++) {
                    for (int t = 0; t < r.lengths[i]; t++) {
                        tok[i][t] = kl ? (float) (-cfg.beta() * (r.logp[i][t] - r.refLogp[i][t])) : 0f;
                    }
                    if (r.lengths[i] > 0) {
                        tok[i][r.lengths[i] - 1] += r.scores[i];
                    }
                }
                r.rewards = tok;
                r.advantages = Whitening.whiten(GroupAdvantages.returnsToGo(tok, r.lengths), r.lengths);
            }
            default -> throw new IllegalStateException(cfg.algorithm());
        }
        if (kl) {
            m.put("kl", dev.align4j.core.stats.Stats.mean(seqKl));
            m.put("non_score_reward", -cfg.beta() * dev.align4j.core.stats.Stats.mean(seqKl));
        }
    }

    /** Sequence advantages to mean 0, std 1 (sample std, epsilon 1e-8), as TRL's normalize_advantages. */
    private static double[] whitenRows(double[] a) {
        float[][] rows = new float[a.length][1];
        int[] ones = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            rows[i][0] = (float) a[i];
            ones[i] = 1;
        }
        Whitening.whiten(rows, ones);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = rows[i][0];
        }
        return out;
    }
}
