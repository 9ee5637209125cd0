package dev.align4j.reward;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.stats.Stats;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reward-model metrics on the host, from the rewards of B pairs: the same numbers for training
 * steps, evaluation during training and {@code align4j reward eval}.
 */
public final class RewardMetrics {

    private RewardMetrics() {
    }

    /** Rewards of chosen and rejected replies, aligned by pair. */
    public record Scores(float[] chosen, float[] rejected, float[] margins) {
        public int size() {
            return chosen.length;
        }
    }

    /**
     * Scores {@code pairs} with {@code rm}, {@code batchSize} sequences at a time, without gradients.
     * Margins are 0 where a pair has none.
     */
    public static Scores score(RewardBundle rm, List<TokenizedPreference> pairs, int batchSize) {
        List<int[]> seqs = new ArrayList<>(2 * pairs.size());
        float[] margins = new float[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            TokenizedPreference p = pairs.get(i);
            seqs.add(join(p.promptIds(), p.chosenIds()));
            margins[i] = p.margin() == null ? 0f : p.margin().floatValue();
        }
        for (TokenizedPreference p : pairs) {
            seqs.add(join(p.promptIds(), p.rejectedIds()));
        }
        float[] all = rm.score(seqs, batchSize);
        int n = pairs.size();
        return new Scores(Arrays.copyOfRange(all, 0, n), Arrays.copyOfRange(all, n, 2 * n), margins);
    }

    static int[] join(int[] prompt, int[] reply) {
        int[] out = Arrays.copyOf(prompt, prompt.length + reply.length);
        System.arraycopy(reply, 0, out, prompt.length, reply.length);
        return out;
    }

    /**
     * {@code loss} (Bradley-Terry, with margins when given, plus centering), {@code accuracy}
     * (share with r_c > r_r), {@code margin} (mean r_c - r_r), {@code chosen_mean/std},
     * {@code rejected_mean/std}; each name prefixed with {@code prefix}.
     *
     * @param margins per-pair margins, or null for none
     */
    public static Map<String, Double> of(float[] chosen, float[] rejected, float[] margins, double centerCoef,
            String prefix) {
        int n = chosen.length;
        double loss = 0;
        double center = 0;
        double correct = 0;
        double diff = 0;
        for (int i = 0; i < n; i++) {
            double d = chosen[i] - rejected[i];
            double z = d - (margins == null ? 0 : margins[i]);
            // -log sigmoid(z) = softplus(-z), written to stay finite for large |z|
            loss += Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
            center += (chosen[i] + rejected[i]) * (double) (chosen[i] + rejected[i]);
            correct += d > 0 ? 1 : 0;
            diff += d;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", n == 0 ? Double.NaN : loss / n + centerCoef * center / n);
        m.put(prefix + "accuracy", n == 0 ? Double.NaN : correct / n);
        m.put(prefix + "margin", n == 0 ? Double.NaN : diff / n);
        m.put(prefix + "chosen_mean", Stats.mean(chosen));
        m.put(prefix + "chosen_std", Stats.populationStd(chosen));
        m.put(prefix + "rejected_mean", Stats.mean(rejected));
        m.put(prefix + "rejected_std", Stats.populationStd(rejected));
        return m;
    }

    /**
     * One calibration bin: pairs whose |r_c - r_r| lies in [lo, hi], and how many of them the model
     * orders correctly. A calibrated model is more accurate where it is more confident.
     */
    public record Bin(@JsonProperty("lo") double lo, @JsonProperty("hi") double hi, @JsonProperty("count") int count,
            @JsonProperty("correct") int correct) {
        @JsonProperty("accuracy")
        public double accuracy() {
            return count == 0 ? Double.NaN : (double) correct / count;
        }
    }

    /**
     * Accuracy by bins of |r_c - r_r|: pairs sorted by that gap and cut into {@code bins} groups of
     * (almost) equal size, so every bin has data whatever the reward scale. Counts sum to the pairs.
     */
    public static List<Bin> calibration(float[] chosen, float[] rejected, int bins) {
        int n = chosen.length;
        Integer[] order = new Integer[n];
        double[] gap = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            gap[i] = Math.abs((double) chosen[i] - rejected[i]);
        }
        Arrays.sort(order, (a, b) -> Double.compare(gap[a], gap[b]));
        int k = Math.max(1, Math.min(bins, n));
        List<Bin> out = new ArrayList<>(k);
        for (int b = 0; b < k && n > 0; b++) {
            int from = (int) ((long) b * n / k);
            int to = (int) ((long) (b + 1) * n / k);
            int correct = 0;
            for (int j = from; j < to; j++) {
                correct += chosen[order[j]] > rejected[order[j]] ? 1 : 0;
            }
            out.add(new Bin(gap[order[from]], gap[order[to - 1]], to - from, correct));
        }
        return out;
    }
}
