package dev.align4j.datasets.arithmetic;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a generated answer is compared with a reference answer, shared by {@link ArithmeticJudge} and
 * the {@code exact-match} and {@code numeric} reward functions of {@code align4j-rl}, so that the
 * reward the policy is trained on and the accuracy it is measured by can never disagree.
 *
 * <p>{@link #normalize}: trim, keep the first line, trim again, collapse runs of whitespace into one
 * space. So {@code " 19\n"} and {@code "19\nmore text"} both read as {@code "19"}, while
 * {@code "19 apples"} stays {@code "19 apples"} and does not equal {@code "19"}.
 */
public final class Answers {

    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** An optionally signed integer or decimal, e.g. {@code -12}, {@code 3.5}. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?");

    private Answers() {
    }

    /** Trimmed first line with whitespace runs collapsed to one space. */
    public static String normalize(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        if (nl >= 0) {
            t = t.substring(0, nl).strip();
        }
        return SPACES.matcher(t).replaceAll(" ");
    }

    /** Whether {@code response} equals {@code answer} after {@link #normalize} of both. */
    public static boolean exactMatch(String response, String answer) {
        return normalize(response).equals(normalize(answer));
    }

    /** The first number written in {@code text} (signed integer or decimal), empty when there is none. */
    public static OptionalDouble firstNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group())) : OptionalDouble.empty();
    }

    /**
     * Whether the first number of {@code response} is within {@code tolerance} of the first number
     * of {@code answer}; false when either has none.
     */
    public static boolean numericMatch(String response, String answer, double tolerance) {
        OptionalDouble r = firstNumber(response);
        OptionalDouble a = firstNumber(answer);
        return r.isPresent() && a.isPresent() && Math.abs(r.getAsDouble() - a.getAsDouble()) <= tolerance;
    }
}
