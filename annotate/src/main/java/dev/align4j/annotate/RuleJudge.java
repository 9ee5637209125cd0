package dev.align4j.annotate;

import java.util.List;
import java.util.regex.Matcher;

/** The {@code rule:...} judges of {@link JudgeSpec}: scores from the response text alone. */
public final class RuleJudge implements PairJudge {

    private final JudgeSpec.Rule rule;

    public RuleJudge(JudgeSpec.Rule rule) {
        this.rule = rule;
    }

    @Override
    public String name() {
        return rule.name();
    }

    /** The score of one response: its length in code points (negated for shorter), or its match count. */
    public double score(String response) {
        return switch (rule.kind()) {
            case LONGER -> response.codePointCount(0, response.length());
            case SHORTER -> -response.codePointCount(0, response.length());
            case REGEX -> matches(response);
            case NO_REGEX -> -matches(response);
        };
    }

    private int matches(String s) {
        Matcher m = rule.pattern().matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
            if (m.end() == m.start() && m.end() >= s.length()) {
                break;
            }
        }
        return n;
    }

    @Override
    public double[][] score(List<Pair> pairs) {
        double[][] out = new double[pairs.size()][];
        for (int i = 0; i < pairs.size(); i++) {
            out[i] = new double[] {score(pairs.get(i).a()), score(pairs.get(i).b())};
        }
        return out;
    }
}
