package dev.align4j.annotate;

import dev.align4j.core.UserInputException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A judge named on the command line ({@code --judge}):
 * <ul>
 *   <li>{@code reward-model:DIR}: a reward model folder ({@code align4j reward train}); scores are
 *       its rewards of prompt + response;
 *   <li>{@code sentiment}: the sentiment task's exact judge (positive minus negative lexicon words
 *       of the response);
 *   <li>{@code rule:longer} / {@code rule:shorter}: the longer / shorter response in characters;
 *   <li>{@code rule:regex=PATTERN}: the response with more matches of the Java regex PATTERN;
 *   <li>{@code rule:no-regex=PATTERN}: the response with fewer matches.
 * </ul>
 */
public sealed interface JudgeSpec {

    /** The annotator name of this judge's labels. */
    String name();

    record RewardModel(Path dir) implements JudgeSpec {
        @Override
        public String name() {
            Path f = dir.toAbsolutePath().normalize().getFileName();
            return "reward-model:" + (f == null ? dir : f);
        }
    }

    record Sentiment() implements JudgeSpec {
        @Override
        public String name() {
            return "sentiment";
        }
    }

    /** A rule; {@code pattern} is null for the length rules. */
    record Rule(RuleKind kind, String spec, Pattern pattern) implements JudgeSpec {
        @Override
        public String name() {
            return "rule:" + spec;
        }
    }

    /** The rules {@code rule:...} knows. */
    enum RuleKind { LONGER, SHORTER, REGEX, NO_REGEX }

    /** Parses a {@code --judge} value; a bad one is a {@link UserInputException} that lists the forms. */
    static JudgeSpec parse(String s) {
        String forms = "; expected reward-model:DIR, sentiment, rule:longer, rule:shorter, rule:regex=PATTERN "
                + "or rule:no-regex=PATTERN";
        if (s == null || s.isBlank()) {
            throw new UserInputException("--judge: empty" + forms);
        }
        if (s.equals("sentiment")) {
            return new Sentiment();
        }
        if (s.startsWith("reward-model:") && s.length() > "reward-model:".length()) {
            return new RewardModel(Path.of(s.substring("reward-model:".length())));
        }
        if (s.startsWith("rule:")) {
            String r = s.substring("rule:".length());
            if (r.equals("longer")) {
                return new Rule(RuleKind.LONGER, r, null);
            }
            if (r.equals("shorter")) {
                return new Rule(RuleKind.SHORTER, r, null);
            }
            for (RuleKind k : new RuleKind[] {RuleKind.REGEX, RuleKind.NO_REGEX}) {
                String prefix = k == RuleKind.REGEX ? "regex=" : "no-regex=";
                if (r.startsWith(prefix) && r.length() > prefix.length()) {
                    try {
                        return new Rule(k, r, Pattern.compile(r.substring(prefix.length())));
                    } catch (PatternSyntaxException e) {
                        throw new UserInputException("--judge " + s + ": bad regex: " + e.getDescription(), e);
                    }
                }
            }
        }
        throw new UserInputException("--judge " + s + ": unknown judge" + forms);
    }
}
