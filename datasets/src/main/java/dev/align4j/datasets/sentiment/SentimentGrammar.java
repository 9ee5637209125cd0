package dev.align4j.datasets.sentiment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An exact fluency judge for the sentiment task: whether a text is one of the eight sentence
 * patterns {@link SentimentCorpus#sentence} writes. By default each slot must hold a word of its
 * class (A, A2, O: lexicon adjectives; N, N2: lexicon nouns), which is what "a sentence of the task's
 * grammar" means; {@link #strict} also asks for the corpus's constraints between slots (A and A2 of
 * one polarity and different, O of the other polarity, N2 != N). Words are separated by white space
 * and the final period is its own word.
 *
 * <pre>
 * 0  the N was A .                         4  what a A N .
 * 1  the N was A and A2 .                  5  i thought the N was A .
 * 2  the N was O but the N2 was A .        6  a A N with a A2 N2 .
 * 3  the N was O but the N2 was A and A2 . 7  the N and the N2 were A .
 * </pre>
 */
public final class SentimentGrammar {

    private final Set<String> positive;
    private final Set<String> negative;
    private final Set<String> nouns;
    private final boolean strict;

    /** The word-class grammar (each slot a word of its class). */
    public SentimentGrammar(Lexicon lexicon) {
        this(lexicon, false);
    }

    private SentimentGrammar(Lexicon lexicon, boolean strict) {
        this.positive = new HashSet<>(lexicon.positive());
        this.negative = new HashSet<>(lexicon.negative());
        this.nouns = new HashSet<>(lexicon.nouns());
        this.strict = strict;
    }

    /** The grammar with the corpus's constraints between slots as well. */
    public static SentimentGrammar strict(Lexicon lexicon) {
        return new SentimentGrammar(lexicon, true);
    }

    /** Whether {@code prompt + completion} (concatenated as generated) is a sentence of the grammar. */
    public boolean isCompletion(String prompt, String completion) {
        return isSentence(prompt + completion);
    }

    /** Whether {@code text} is exactly one sentence of the eight patterns. */
    public boolean isSentence(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return false;
        }
        List<String> w = List.of(t.split("\\s+"));
        return switch (w.size()) {
            case 5 -> pattern0(w) || pattern4(w);
            case 7 -> pattern1(w) || pattern5(w);
            case 8 -> pattern6(w) || pattern7(w);
            case 10 -> pattern2(w);
            case 12 -> pattern3(w);
            default -> false;
        };
    }

    private boolean pattern0(List<String> w) { // the N was A .
        return is(w, 0, "the") && noun(w, 1) && is(w, 2, "was") && adjective(w, 3) && is(w, 4, ".");
    }

    private boolean pattern1(List<String> w) { // the N was A and A2 .
        return is(w, 0, "the") && noun(w, 1) && is(w, 2, "was") && samePolarity(w, 3, 5) && is(w, 4, "and")
                && is(w, 6, ".");
    }

    private boolean pattern2(List<String> w) { // the N was O but the N2 was A .
        return is(w, 0, "the") && noun(w, 1) && is(w, 2, "was") && opposite(w, 3, 8) && is(w, 4, "but")
                && is(w, 5, "the") && otherNoun(w, 1, 6) && is(w, 7, "was") && is(w, 9, ".");
    }

    private boolean pattern3(List<String> w) { // the N was O but the N2 was A and A2 .
        return is(w, 0, "the") && noun(w, 1) && is(w, 2, "was") && opposite(w, 3, 8) && is(w, 4, "but")
                && is(w, 5, "the") && otherNoun(w, 1, 6) && is(w, 7, "was") && samePolarity(w, 8, 10)
                && is(w, 9, "and") && is(w, 11, ".");
    }

    private boolean pattern4(List<String> w) { // what a A N .
        return is(w, 0, "what") && is(w, 1, "a") && adjective(w, 2) && noun(w, 3) && is(w, 4, ".");
    }

    private boolean pattern5(List<String> w) { // i thought the N was A .
        return is(w, 0, "i") && is(w, 1, "thought") && is(w, 2, "the") && noun(w, 3) && is(w, 4, "was")
                && adjective(w, 5) && is(w, 6, ".");
    }

    private boolean pattern6(List<String> w) { // a A N with a A2 N2 .
        return is(w, 0, "a") && noun(w, 2) && is(w, 3, "with") && is(w, 4, "a") && samePolarity(w, 1, 5)
                && otherNoun(w, 2, 6) && is(w, 7, ".");
    }

    private boolean pattern7(List<String> w) { // the N and the N2 were A .
        return is(w, 0, "the") && noun(w, 1) && is(w, 2, "and") && is(w, 3, "the") && otherNoun(w, 1, 4)
                && is(w, 5, "were") && adjective(w, 6) && is(w, 7, ".");
    }

    private static boolean is(List<String> w, int i, String word) {
        return w.get(i).equals(word);
    }

    private boolean noun(List<String> w, int i) {
        return nouns.contains(w.get(i));
    }

    private boolean otherNoun(List<String> w, int first, int second) {
        return noun(w, second) && (!strict || !w.get(first).equals(w.get(second)) || nouns.size() == 1);
    }

    private boolean adjective(List<String> w, int i) {
        return positive.contains(w.get(i)) || negative.contains(w.get(i));
    }

    /** Two distinct adjectives of the same polarity. */
    private boolean samePolarity(List<String> w, int a, int b) {
        String x = w.get(a);
        String y = w.get(b);
        if (!strict) {
            return adjective(w, a) && adjective(w, b);
        }
        return !x.equals(y) && (positive.contains(x) && positive.contains(y) || negative.contains(x) && negative.contains(y));
    }

    /** {@code o} of one polarity, {@code a} of the other. */
    private boolean opposite(List<String> w, int o, int a) {
        String x = w.get(o);
        String y = w.get(a);
        if (!strict) {
            return adjective(w, o) && adjective(w, a);
        }
        return positive.contains(x) && negative.contains(y) || negative.contains(x) && positive.contains(y);
    }
}
