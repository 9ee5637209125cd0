package dev.align4j.rl;

import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.sentiment.SentimentGrammar;
import dev.align4j.datasets.sentiment.SentimentJudge;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Sequence rewards of (prompt, response) token pairs, behind one interface: a reward-model folder
 * ({@link #rewardModel}), the sentiment judge ({@link #sentiment}), or any rule on the response
 * text ({@link #rule}); tests pass a lambda. {@link RewardFuncs} builds one from config specs
 * ({@code reward_funcs}, {@code reward_weights}).
 */
@FunctionalInterface
public interface RewardFunction {

    /** @return (B) raw scores of the rows of {@code in} */
    float[] score(RewardInput in);

    /**
     * Each component's raw scores of the last {@link #score} call, by metric name, for a reward made
     * of several (a weighted sum); empty for a single function.
     */
    default java.util.Map<String, float[]> lastComponents() {
        return java.util.Map.of();
    }

    /** Scores rows without reference answers. */
    default float[] score(List<int[]> prompts, List<int[]> responses) {
        return score(RewardInput.of(prompts, responses));
    }

    /** A frozen reward model scoring prompt + response, {@code batchSize} sequences at a time. */
    static RewardFunction rewardModel(RewardBundle rm, int batchSize) {
        return in -> {
            List<int[]> prompts = in.prompts();
            List<int[]> responses = in.responses();
            List<int[]> seqs = new ArrayList<>(prompts.size());
            for (int i = 0; i < prompts.size(); i++) {
                int[] p = prompts.get(i);
                int[] r = responses.get(i);
                int[] s = java.util.Arrays.copyOf(p, p.length + r.length);
                System.arraycopy(r, 0, s, p.length, r.length);
                seqs.add(s);
            }
            return rm.score(seqs, batchSize);
        };
    }

    /** A rule on the decoded response text (EOS dropped), e.g. a length or format check. */
    static RewardFunction rule(Tokenizer tokenizer, ToDoubleFunction<String> rule) {
        return in -> {
            float[] out = new float[in.size()];
            for (int i = 0; i < out.length; i++) {
                int[] r = in.responses().get(i);
                int n = r.length;
                while (n > 0 && r[n - 1] == tokenizer.eosId()) {
                    n--;
                }
                out[i] = (float) rule.applyAsDouble(tokenizer.decode(java.util.Arrays.copyOf(r, n)));
            }
            return out;
        };
    }

    /** The sentiment judge's lexicon score of the response text. */
    static RewardFunction sentiment(SentimentJudge judge, Tokenizer tokenizer) {
        return rule(tokenizer, judge::score);
    }

    /**
     * The sentiment task's format reward: 1 when the decoded prompt + response (EOS dropped) is one
     * sentence of the corpus's grammar ({@link SentimentGrammar}, word classes per slot), else 0. The
     * prompt is decoded from its ids, so this is meant for the plain template the task trains with.
     */
    static RewardFunction sentimentGrammar(SentimentGrammar grammar, Tokenizer tokenizer) {
        return in -> {
            float[] out = new float[in.size()];
            for (int i = 0; i < out.length; i++) {
                int[] p = in.prompts().get(i);
                int[] r = RewardFuncs.withoutEos(in.responses().get(i), tokenizer.eosId());
                int[] ids = java.util.Arrays.copyOf(p, p.length + r.length);
                System.arraycopy(r, 0, ids, p.length, r.length);
                out[i] = grammar.isSentence(tokenizer.decode(ids)) ? 1 : 0;
            }
            return out;
        };
    }
}
