package dev.align4j.datasets.sentiment;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The best a grammatical completion can score, and from it the highest win rate against a baseline
 * that a policy can reach while every completion stays a sentence of the task's grammar
 * ({@link SentimentGrammar}, word classes). The judge counts the completion's positive minus
 * negative words, so the best completion of a prompt puts a positive adjective in every adjective
 * slot the prompt leaves open, over the patterns the prompt's words begin. "what a" leaves one slot
 * ("what a A N ."), "the acting was great" leaves two ("... but the N2 was A and A2 ."), "what a
 * dull camera" none: against a baseline that already fills the open slots positively, a tie is the
 * best any grammatical policy can do.
 */
public final class SentimentCeiling {

    private static final String N = "N";
    private static final String A = "A";
    /** The eight patterns, slot by slot ({@link SentimentCorpus#sentence}). */
    private static final List<List<String>> PATTERNS = List.of(
            List.of("the", N, "was", A, "."),
            List.of("the", N, "was", A, "and", A, "."),
            List.of("the", N, "was", A, "but", "the", N, "was", A, "."),
            List.of("the", N, "was", A, "but", "the", N, "was", A, "and", A, "."),
            List.of("what", "a", A, N, "."),
            List.of("i", "thought", "the", N, "was", A, "."),
            List.of("a", A, N, "with", "a", A, N, "."),
            List.of("the", N, "and", "the", N, "were", A, "."));

    private final Set<String> adjectives = new HashSet<>();
    private final Set<String> nouns;

    public SentimentCeiling(Lexicon lexicon) {
        adjectives.addAll(lexicon.positive());
        adjectives.addAll(lexicon.negative());
        nouns = new HashSet<>(lexicon.nouns());
    }

    /**
     * The highest judge score of a completion that makes {@code prompt + completion} a sentence of the
     * grammar: the most adjective slots left open by a pattern the prompt's words begin; empty when no
     * pattern begins with them.
     */
    public OptionalInt bestCompletionScore(String prompt) {
        List<String> words = List.of(prompt.strip().split("\\s+"));
        int best = -1;
        for (List<String> p : PATTERNS) {
            if (words.size() <= p.size() && begins(p, words)) {
                int open = 0;
                for (String slot : p.subList(words.size(), p.size())) {
                    open += slot.equals(A) ? 1 : 0;
                }
                best = Math.max(best, open);
            }
        }
        return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /**
     * The win rate (ties half) against {@code baselineScores} of a policy that writes each prompt's best
     * grammatical completion; a prompt no pattern begins counts as a loss.
     */
    public double winRateCeiling(List<String> prompts, double[] baselineScores) {
        if (prompts.size() != baselineScores.length || prompts.isEmpty()) {
            throw new IllegalArgumentException(prompts.size() + " prompts, " + baselineScores.length + " scores");
        }
        double won = 0;
        for (int i = 0; i < prompts.size(); i++) {
            OptionalInt best = bestCompletionScore(prompts.get(i));
            if (best.isPresent()) {
                won += best.getAsInt() > baselineScores[i] ? 1 : best.getAsInt() == baselineScores[i] ? 0.5 : 0;
            }
        }
        return won / prompts.size();
    }

    private boolean begins(List<String> pattern, List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            String slot = pattern.get(i);
            String w = words.get(i);
            boolean fits = slot.equals(N) ? nouns.contains(w) : slot.equals(A) ? adjectives.contains(w) : slot.equals(w);
            if (!fits) {
                return false;
            }
        }
        return true;
    }
}
