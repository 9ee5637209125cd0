package dev.align4j.datasets.sentiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.BatchedGeneration;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;
import dev.align4j.core.stats.Stats;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The sentiment task's evaluation (TASK.md): a policy against a baseline (usually the SFT model) on
 * held-out prompts. Both sample every prompt with the same per-prompt seed; the report gives each
 * one's mean true score, the policy's win rate (ties half), KL(policy || baseline) and a fluency proxy.
 *
 * <p>KL is estimated on the policy's own samples y ~ pi: KL = E[sum_t log pi(y_t | .) - log
 * pi_base(y_t | .)], the per-sequence sum over generated tokens (EOS included) averaged over
 * prompts. The policy's log-probs come from the generator (the raw model at temperature 1), the
 * baseline's from one forward over prompt + sample. It is an unbiased estimate only when sampling at
 * temperature 1.
 */
public final class SentimentEval {

    private static final int BATCH = 64;
    private static final java.util.regex.Pattern NON_LETTERS = java.util.regex.Pattern.compile("\\P{L}+");

    /** @param n prompts used (the first n of the file) */
    public record Options(int n, int maxNewTokens, double temperature, long seed) {
        public Options {
            if (n < 1 || maxNewTokens < 1 || !(temperature >= 0)) {
                throw new UserInputException("need n >= 1, max_new_tokens >= 1, temperature >= 0; got " + n + ", "
                        + maxNewTokens + ", " + temperature);
            }
        }
    }

    /**
     * Fluency proxy over a model's completions.
     *
     * @param distinctWords mean over completions of distinct words / words (1 = no word repeated)
     * @param repeatedLexicon share of completions where some lexicon adjective occurs twice or more
     *     (the "great great great" failure TASK.md describes)
     * @param meanWords mean completion length in words
     * @param grammatical share of prompt + completion texts that are sentences of the corpus's
     *     grammar ({@link SentimentGrammar})
     */
    public record Fluency(double distinctWords, double repeatedLexicon, double meanWords, double grammatical) {}

    /** One model's side of the report. */
    public record Side(double meanScore, Fluency fluency, List<String> completions) {}

    /** @param kl mean over prompts of sum over the policy's tokens of log pi - log pi_baseline */
    public record Report(int n, Side policy, Side baseline, double winRate, double kl, List<String> prompts) {}

    private SentimentEval() {}

    public static Report evaluate(ModelBundle policy, ModelBundle baseline, List<List<Message>> prompts,
            Lexicon lexicon, Options o) {
        if (policy.tokenizer().vocabSize() != baseline.tokenizer().vocabSize()) {
            throw new UserInputException("policy and baseline use different tokenizers (vocab "
                    + policy.tokenizer().vocabSize() + " vs " + baseline.tokenizer().vocabSize() + ")");
        }
        List<List<Message>> used = prompts.subList(0, Math.min(o.n(), prompts.size()));
        List<int[]> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (List<Message> p : used) {
            ids.add(policy.template().promptIds(policy.tokenizer(), p));
            texts.add(policy.template().renderPrompt(p));
        }
        List<Generation> pol = sample(policy, ids, o.temperature(), o.maxNewTokens(), o.seed());
        List<Generation> base = sample(baseline, ids, o.temperature(), o.maxNewTokens(), o.seed());
        SentimentJudge judge = new SentimentJudge(lexicon);
        double[] sp = pol.stream().mapToDouble(g -> judge.score(g.text())).toArray();
        double[] sb = base.stream().mapToDouble(g -> judge.score(g.text())).toArray();
        double kl = meanKl(baseline.model(), ids, pol);
        Set<String> adjectives = new HashSet<>(lexicon.positive());
        adjectives.addAll(lexicon.negative());
        SentimentGrammar grammar = new SentimentGrammar(lexicon);
        return new Report(used.size(), side(pol, sp, adjectives, texts, grammar),
                side(base, sb, adjectives, texts, grammar),
                SentimentJudge.winRate(sp, sb), kl, texts);
    }

    /**
     * Samples every prompt once, prompt i with seed {@code rowSeed(seed, i)} (so every model sampled
     * with one seed draws the same dice), stopping at the model's EOS.
     */
    public static List<Generation> sample(ModelBundle b, List<int[]> ids, double temperature, int maxNewTokens,
            long seed) {
        SamplingParams params = SamplingParams.builder().temperature(temperature).maxNewTokens(maxNewTokens)
                .eosTokenId(b.tokenizer().eosId()).seed(seed).build();
        return BatchedGeneration.generate(new Generator(b.model(), b.tokenizer()), ids, params, BATCH);
    }

    /**
     * KL(pi || reference) estimated on pi's own samples: the mean over prompts of the summed
     * sum_t log pi(y_t | .) - log ref(y_t | .), pi's log-probs taken from the generations.
     */
    public static double meanKl(CausalLM reference, List<int[]> prompts, List<Generation> gens) {
        double[] refLogp = sequenceLogProbs(reference, prompts, gens);
        double kl = 0;
        for (int i = 0; i < gens.size(); i++) {
            kl += gens.get(i).sumLogProb() - refLogp[i];
        }
        return kl / gens.size();
    }

    /** Summed log-prob of each generation's tokens after its prompt under {@code model}. */
    public static double[] sequenceLogProbs(CausalLM model, List<int[]> prompts, List<Generation> gens) {
        double[] out = new double[gens.size()];
        NDManager base = model.embedTokens().weight().getArray().getManager();
        for (int from = 0; from < gens.size(); from += BATCH) {
            int to = Math.min(gens.size(), from + BATCH);
            int t = 0;
            for (int i = from; i < to; i++) {
                t = Math.max(t, prompts.get(i).length + gens.get(i).length());
            }
            int b = to - from;
            long[] ids = new long[b * t];
            long[] targets = new long[b * (t - 1)];
            float[] mask = new float[b * (t - 1)];
            for (int r = 0; r < b; r++) {
                int[] p = prompts.get(from + r);
                int[] g = gens.get(from + r).tokens();
                for (int j = 0; j < p.length + g.length; j++) {
                    ids[r * t + j] = j < p.length ? p[j] : g[j - p.length];
                }
                for (int j = 0; j + 1 < p.length + g.length; j++) {
                    targets[r * (t - 1) + j] = ids[r * t + j + 1];
                    mask[r * (t - 1) + j] = j + 1 >= p.length ? 1f : 0f;
                }
            }
            try (NDManager m = base.newSubManager(); NDScope scope = new NDScope()) {
                NDArray logits = model.forward(m.create(ids, new Shape(b, t)), null, false).logits();
                NDArray lp = LogProbs.tokenLogProbs(logits.get(new NDIndex(":, 0:{}, :", t - 1)),
                        m.create(targets, new Shape(b, t - 1)));
                float[] sums = LogProbs.maskedSum(lp, m.create(mask, new Shape(b, t - 1))).toFloatArray();
                for (int r = 0; r < b; r++) {
                    out[from + r] = sums[r];
                }
                scope.suppressNotUsedWarning();
            }
        }
        return out;
    }

    private static Side side(List<Generation> gens, double[] scores, Set<String> adjectives, List<String> prompts,
            SentimentGrammar grammar) {
        double grammatical = 0;
        for (int i = 0; i < gens.size(); i++) {
            grammatical += grammar.isCompletion(prompts.get(i), gens.get(i).text()) ? 1 : 0;
        }
        double distinct = 0;
        double repeated = 0;
        double words = 0;
        List<String> texts = new ArrayList<>();
        for (Generation g : gens) {
            texts.add(g.text());
            List<String> w = Arrays.stream(NON_LETTERS.split(g.text().toLowerCase(Locale.ROOT)))
                    .filter(s -> !s.isEmpty()).toList();
            words += w.size();
            distinct += w.isEmpty() ? 1 : (double) new HashSet<>(w).size() / w.size();
            Set<String> seen = new HashSet<>();
            boolean rep = false;
            for (String s : w) {
                rep |= adjectives.contains(s) && !seen.add(s);
            }
            repeated += rep ? 1 : 0;
        }
        int n = gens.size();
        return new Side(scores.length == 0 ? 0 : Stats.mean(scores),
                new Fluency(distinct / n, repeated / n, words / n, grammatical / n), texts);
    }
}
