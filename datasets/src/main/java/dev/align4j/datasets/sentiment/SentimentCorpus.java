package dev.align4j.datasets.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates the task's short movie-review sentences from a few patterns. Even-numbered sentences
 * lean positive, odd ones negative; "leaning" means the last clause carries the lean and the judge's
 * score is never of the opposite sign (contrast sentences such as
 * {@code the acting was superb but the pacing was dull .} score 0 and lean by their final clause).
 * Words are lower case and the final period is its own word, as in TASK.md.
 */
public final class SentimentCorpus {

    private final Lexicon lexicon;
    private final Random rng;

    public SentimentCorpus(Lexicon lexicon, long seed) {
        this.lexicon = lexicon;
        this.rng = new Random(seed);
    }

    /** {@code n} sentences, alternating positive and negative lean. */
    public List<String> sentences(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sentence(i % 2 == 0));
        }
        return out;
    }

    /** One sentence leaning positive or negative. */
    public String sentence(boolean positive) {
        List<String> lean = positive ? lexicon.positive() : lexicon.negative();
        List<String> other = positive ? lexicon.negative() : lexicon.positive();
        String n1 = pick(lexicon.nouns());
        String n2 = pickOther(lexicon.nouns(), n1);
        String a1 = pick(lean);
        String a2 = pickOther(lean, a1);
        String o = pick(other);
        return switch (rng.nextInt(8)) {
            case 0 -> "the " + n1 + " was " + a1 + " .";
            case 1 -> "the " + n1 + " was " + a1 + " and " + a2 + " .";
            case 2 -> "the " + n1 + " was " + o + " but the " + n2 + " was " + a1 + " .";
            case 3 -> "the " + n1 + " was " + o + " but the " + n2 + " was " + a1 + " and " + a2 + " .";
            case 4 -> "what a " + a1 + " " + n1 + " .";
            case 5 -> "i thought the " + n1 + " was " + a1 + " .";
            case 6 -> "a " + a1 + " " + n1 + " with a " + a2 + " " + n2 + " .";
            default -> "the " + n1 + " and the " + n2 + " were " + a1 + " .";
        };
    }

    /** Prompts: the first 2 to 4 words of fresh sentences (either lean). */
    public List<String> prompts(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(promptOf(sentence(rng.nextBoolean()), 2 + rng.nextInt(3)));
        }
        return out;
    }

    /** The first {@code words} words of {@code sentence} (fewer if it is shorter, never the period). */
    public static String promptOf(String sentence, int words) {
        String[] w = sentence.split(" ");
        int k = Math.min(words, w.length - 1);
        return String.join(" ", java.util.Arrays.copyOf(w, k));
    }

    private String pick(List<String> words) {
        return words.get(rng.nextInt(words.size()));
    }

    private String pickOther(List<String> words, String not) {
        String w;
        do {
            w = pick(words);
        } while (w.equals(not) && words.size() > 1);
        return w;
    }
}
