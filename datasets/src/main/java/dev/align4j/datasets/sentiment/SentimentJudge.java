package dev.align4j.datasets.sentiment;

import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.Source;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The task's exact true reward: lower-case the completion, split it on anything that is not a
 * letter, score {@code #positive words - #negative words}. The prompt never counts.
 */
public final class SentimentJudge {

    private static final Pattern NON_LETTERS = Pattern.compile("\\P{L}+");

    private final Set<String> positive;
    private final Set<String> negative;

    public SentimentJudge(Lexicon lexicon) {
        this.positive = new HashSet<>(lexicon.positive());
        this.negative = new HashSet<>(lexicon.negative());
    }

    /** The true reward of a completion (without its prompt). */
    public int score(String completion) {
        int s = 0;
        for (String w : NON_LETTERS.split(completion.toLowerCase(Locale.ROOT))) {
            if (positive.contains(w)) {
                s++;
            } else if (negative.contains(w)) {
                s--;
            }
        }
        return s;
    }

    /**
     * Share of prompts where the policy's score beats the baseline's for the same prompt; ties count
     * half. Both arrays are indexed by prompt.
     */
    public static double winRate(double[] policy, double[] baseline) {
        if (policy.length != baseline.length || policy.length == 0) {
            throw new IllegalArgumentException("need equal, non-empty score lists: " + policy.length + " vs " + baseline.length);
        }
        double wins = 0;
        for (int i = 0; i < policy.length; i++) {
            wins += policy[i] > baseline[i] ? 1 : policy[i] == baseline[i] ? 0.5 : 0;
        }
        return wins / policy.length;
    }

    /** {@link #winRate} of two completion lists, scored by this judge. */
    public double winRate(List<String> policy, List<String> baseline) {
        return winRate(policy.stream().mapToDouble(this::score).toArray(),
                baseline.stream().mapToDouble(this::score).toArray());
    }

    /**
     * A preference pair from two completions of {@code prompt}: the higher-scoring one is chosen, the
     * margin is the score difference. Empty on a tie (TASK.md: about 44 % of sampled pairs), since a
     * tie says nothing about which is better.
     */
    public Optional<PreferenceExample> label(Source source, String prompt, String a, String b) {
        int sa = score(a);
        int sb = score(b);
        if (sa == sb) {
            return Optional.empty();
        }
        boolean aWins = sa > sb;
        return Optional.of(new PreferenceExample(source, List.of(Message.user(prompt)), aWins ? a : b, aWins ? b : a,
                (double) Math.abs(sa - sb)));
    }
}
