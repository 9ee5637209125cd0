package dev.align4j.datasets.arithmetic;

import java.util.List;

/**
 * The arithmetic task's judge: a completion is correct when it equals the reference answer after
 * {@link Answers#normalize} (trim, first line, collapsed spaces), the same rule as the
 * {@code exact-match} reward function. {@code "19"}, {@code " 19\n"} and {@code "19\n7+1=8"} are
 * correct for {@code 19}; {@code "19 apples"}, {@code "019"} and {@code "20"} are not.
 */
public final class ArithmeticJudge {

    /** Whether {@code response} (the completion alone, without its prompt) answers {@code answer}. */
    public boolean correct(String response, String answer) {
        return Answers.exactMatch(response, answer);
    }

    /** How many of the aligned responses are correct. */
    public int correctCount(List<String> responses, List<String> answers) {
        if (responses.size() != answers.size()) {
            throw new IllegalArgumentException(responses.size() + " responses for " + answers.size() + " answers");
        }
        int k = 0;
        for (int i = 0; i < responses.size(); i++) {
            k += correct(responses.get(i), answers.get(i)) ? 1 : 0;
        }
        return k;
    }

    /** The fraction of correct responses; 0 for no responses. */
    public double accuracy(List<String> responses, List<String> answers) {
        return responses.isEmpty() ? 0 : (double) correctCount(responses, answers) / responses.size();
    }
}
