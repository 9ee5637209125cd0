package dev.align4j.rl;

/**
 * Critic-free advantages as pure functions on the host. Rollouts come in groups: rows
 * {@code g*G .. g*G + G - 1} are G completions of prompt g.
 *
 * <ul>
 *   <li>{@link #groupRelative}: GRPO (Shao et al. 2024), A = (r - mean of the group) / (std + eps),
 *       with the std of the group, of the whole batch, or none (Dr. GRPO, Liu et al. 2025);</li>
 *   <li>{@link #leaveOneOut}: RLOO (Ahmadian et al. 2024), A = r - mean of the other k - 1;</li>
 *   <li>{@link #returnsToGo}: REINFORCE++ (Hu 2025), the undiscounted sum of the per-token rewards
 *       from t to the end, later whitened over the batch.</li>
 * </ul>
 */
public final class GroupAdvantages {

    /** TRL's epsilon in the GRPO denominator. */
    public static final double EPS = 1e-4;

    /** Which std divides GRPO's centred rewards (TRL's scale_rewards). */
    public enum Scale {
        /** the std of each group (GRPO). */
        GROUP,
        /** the std of the whole batch (PPO-Lite). */
        BATCH,
        /** no scaling (Dr. GRPO). */
        NONE
    }

    /**
     * @param advantages one per row
     * @param zeroStdGroups groups whose rewards were all equal (their advantages are 0)
     * @param groupStdMean the mean over groups of the group's reward std
     */
    public record Result(double[] advantages, int zeroStdGroups, double groupStdMean) {
    }

    private GroupAdvantages() {
    }

    /** GRPO's group-relative advantages; stds are sample stds (n - 1), as torch.std. */
    public static Result groupRelative(float[] rewards, int group, Scale scale) {
        int groups = groups(rewards, group);
        double[] out = new double[rewards.length];
        double batchStd = sampleStd(rewards, 0, rewards.length);
        int zero = 0;
        double stdSum = 0;
        for (int g = 0; g < groups; g++) {
            int from = g * group;
            double mean = mean(rewards, from, from + group);
            double std = sampleStd(rewards, from, from + group);
            stdSum += std;
            zero += std == 0 ? 1 : 0;
            double div = switch (scale) {
                case GROUP -> std + EPS;
                case BATCH -> batchStd + EPS;
                case NONE -> 1.0;
            };
            for (int i = from; i < from + group; i++) {
                out[i] = (rewards[i] - mean) / div;
            }
        }
        return new Result(out, zero, stdSum / groups);
    }

    /** RLOO's leave-one-out advantages: each reward minus the mean of the other k - 1 of its group. */
    public static double[] leaveOneOut(float[] rewards, int k) {
        if (k < 2) {
            throw new IllegalArgumentException("leave-one-out needs k >= 2 samples per prompt, got " + k);
        }
        int groups = groups(rewards, k);
        double[] out = new double[rewards.length];
        for (int g = 0; g < groups; g++) {
            double sum = 0;
            for (int i = g * k; i < (g + 1) * k; i++) {
                sum += rewards[i];
            }
            for (int i = g * k; i < (g + 1) * k; i++) {
                out[i] = rewards[i] - (sum - rewards[i]) / (k - 1);
            }
        }
        return out;
    }

    /** Per-token sums of the rewards from t to the row's end (gamma 1), zero past each length. */
    public static float[][] returnsToGo(float[][] tokenRewards, int[] lengths) {
        float[][] out = new float[tokenRewards.length][];
        for (int i = 0; i < tokenRewards.length; i++) {
            out[i] = new float[tokenRewards[i].length];
            double acc = 0;
            for (int t = lengths[i] - 1; t >= 0; t--) {
                acc += tokenRewards[i][t];
                out[i][t] = (float) acc;
            }
        }
        return out;
    }

    /** A sequence value per row broadcast over its first {@code lengths[i]} of {@code width} tokens. */
    public static float[][] broadcast(double[] perRow, int[] lengths, int width) {
        float[][] out = new float[perRow.length][width];
        for (int i = 0; i < perRow.length; i++) {
            java.util.Arrays.fill(out[i], 0, lengths[i], (float) perRow[i]);
        }
        return out;
    }

    private static int groups(float[] rewards, int group) {
        if (group < 1 || rewards.length % group != 0) {
            throw new IllegalArgumentException(rewards.length + " rewards do not split into groups of " + group);
        }
        return rewards.length / group;
    }

    private static double mean(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i];
        }
        return s / (to - from);
    }

    private static double sampleStd(float[] x, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return 0;
        }
        double m = mean(x, from, to);
        double ss = 0;
        for (int i = from; i < to; i++) {
            ss += (x[i] - m) * (x[i] - m);
        }
        return Math.sqrt(ss / (n - 1));
    }
}
