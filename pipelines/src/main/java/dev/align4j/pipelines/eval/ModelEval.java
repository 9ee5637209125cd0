package dev.align4j.pipelines.eval;

import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.FinishReason;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.stats.Stats;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentCeiling;
import dev.align4j.datasets.sentiment.SentimentCorpus;
import dev.align4j.datasets.sentiment.SentimentEval;
import dev.align4j.datasets.sentiment.SentimentGrammar;
import dev.align4j.datasets.sentiment.SentimentJudge;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several models on the same held-out prompts: every model samples prompt i with the same seed
 * ({@link dev.align4j.core.gen.SamplingParams#rowSeed}), so differences come from the models, not the dice. Per model: mean
 * RM score (when a reward model is given), mean true reward and grammatical rate (sentiment task),
 * win rate against the baseline with its 95 % Wilson interval, KL to the reference on the model's
 * own samples, mean length, EOS rate, distinct-token ratio, and perplexity on held-out texts.
 */
public final class ModelEval {

    private static final int BATCH = 64;

    /** What one model produced on the prompts. */
    private record Side(String name, List<Generation> gens, double[] trueReward, double[] rm) {
    }

    private ModelEval() {
    }

    /**
     * @param models loaded models by name, in table order
     * @param rm the reward model, or null
     * @param prompts held-out prompts (the first {@code c.n()} are used)
     * @param texts held-out texts for perplexity (may be empty)
     */
    public static EvalReport evaluate(Map<String, ModelBundle> models, RewardBundle rm, List<List<Message>> prompts,
            List<String> texts, Lexicon lexicon, EvalConfig c) {
        List<List<Message>> used = prompts.subList(0, Math.min(c.n(), prompts.size()));
        if (used.isEmpty()) {
            throw new UserInputException(c.prompts() + ": no prompts");
        }
        ModelBundle ref = models.get(c.reference());
        List<int[]> ids = used.stream().map(p -> promptIds(ref, p)).toList();
        List<String> promptTexts = used.stream().map(p -> ref.template().renderPrompt(p)).toList();
        SentimentJudge judge = c.sentiment() ? new SentimentJudge(lexicon) : null;
        SentimentGrammar grammar = c.sentiment() ? new SentimentGrammar(lexicon) : null;
        Map<String, Side> sides = new LinkedHashMap<>();
        for (Map.Entry<String, ModelBundle> e : models.entrySet()) {
            if (e.getValue().tokenizer().vocabSize() != ref.tokenizer().vocabSize()) {
                throw new UserInputException("models: " + e.getKey() + " and " + c.reference()
                        + " use different tokenizers; KL and shared seeds need one");
            }
            List<Generation> gens = SentimentEval.sample(e.getValue(), ids, c.temperature(), c.maxNewTokens(), c.seed());
            List<String> completions = gens.stream().map(Generation::text).toList();
            double[] tr = judge == null ? null : completions.stream().mapToDouble(judge::score).toArray();
            double[] r = rm == null ? null : Stats.toDouble(rm.scoreTexts(used, completions, BATCH));
            sides.put(e.getKey(), new Side(e.getKey(), gens, tr, r));
        }
        Side base = sides.get(c.baseline());
        List<ModelMetrics> rows = new ArrayList<>();
        for (Map.Entry<String, ModelBundle> e : models.entrySet()) {
            Side s = sides.get(e.getKey());
            Double kl = e.getKey().equals(c.reference()) ? 0.0 : SentimentEval.meanKl(ref.model(), ids, s.gens());
            Double ppl = texts.isEmpty() ? null : perplexity(e.getValue(), texts);
            Double gram = grammar == null ? null : grammatical(grammar, promptTexts, s.gens());
            rows.add(row(e.getKey(), c.models().get(e.getKey()), s, base, kl, ppl, gram));
        }
        Double ceiling = judge == null ? null
                : new SentimentCeiling(lexicon).winRateCeiling(promptTexts, base.trueReward());
        return new EvalReport(used.size(), c.seed(), c.baseline(), c.reference(), c.prompts(), texts.size(), rows,
                ceiling, samples(promptTexts, sides));
    }

    /** Fresh sentences of the sentiment corpus, from a stream no synth seed reaches in practice. */
    public static List<String> heldoutSentences(Lexicon lexicon, long seed, int n) {
        return new SentimentCorpus(lexicon, seed + 7_000_001L).sentences(n);
    }

    private static ModelMetrics row(String name, String dir, Side s, Side base, Double kl, Double ppl, Double gram) {
        double[] mine = s.trueReward() != null ? s.trueReward() : s.rm();
        double[] theirs = s.trueReward() != null ? base.trueReward() : base.rm();
        Double win = null;
        Double lo = null;
        Double hi = null;
        if (mine != null) {
            win = SentimentJudge.winRate(mine, theirs);
            Stats.Interval ci = Stats.wilsonOfRate(win, mine.length, 0.95);
            lo = ci.lower();
            hi = ci.upper();
        }
        List<Generation> g = s.gens();
        double tokens = g.stream().mapToInt(Generation::length).sum();
        Set<Integer> distinct = new HashSet<>();
        g.forEach(x -> Arrays.stream(x.tokens()).forEach(distinct::add));
        double eos = g.stream().filter(x -> x.finishReason() == FinishReason.EOS).count();
        return new ModelMetrics(name, dir, mean(s.rm()), mean(s.trueReward()), win, lo, hi, kl, tokens / g.size(),
                eos / g.size(), tokens == 0 ? 0 : distinct.size() / tokens, gram, ppl);
    }

    /** exp of the mean negative log-likelihood per predicted token (EOS included; cut at the context). */
    static double perplexity(ModelBundle b, List<String> texts) {
        List<int[]> ctx = new ArrayList<>();
        List<Generation> rest = new ArrayList<>();
        long tokens = 0;
        for (String t : texts) {
            int[] body = b.tokenizer().encode(t);
            if (body.length == 0) {
                continue;
            }
            int[] all = Arrays.copyOf(body, body.length + 1);
            all[body.length] = b.tokenizer().eosId();
            boolean bos = b.template().bos();
            int[] head = bos ? new int[] {b.tokenizer().bosId()} : new int[] {all[0]};
            int[] tail = bos ? all : Arrays.copyOfRange(all, 1, all.length);
            tail = Arrays.copyOf(tail, Math.min(tail.length, b.config().contextLength() - 1)); // longer texts are cut
            ctx.add(head);
            rest.add(new Generation(tail, new float[tail.length], t, FinishReason.EOS));
            tokens += tail.length;
        }
        double[] lp = SentimentEval.sequenceLogProbs(b.model(), ctx, rest);
        return Math.exp(-Arrays.stream(lp).sum() / tokens);
    }

    private static double grammatical(SentimentGrammar g, List<String> prompts, List<Generation> gens) {
        int ok = 0;
        for (int i = 0; i < gens.size(); i++) {
            ok += g.isCompletion(prompts.get(i), gens.get(i).text()) ? 1 : 0;
        }
        return (double) ok / gens.size();
    }

    private static List<Map<String, String>> samples(List<String> prompts, Map<String, Side> sides) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("prompt", prompts.get(i));
            for (Side s : sides.values()) {
                row.put(s.name(), s.gens().get(i).text());
            }
            out.add(row);
        }
        return out;
    }

    private static int[] promptIds(ModelBundle b, List<Message> prompt) {
        if (prompt.stream().anyMatch(m -> m.role() == Role.ASSISTANT)) {
            throw new UserInputException("prompts: a prompt must not end with an assistant reply");
        }
        return b.template().promptIds(b.tokenizer(), prompt);
    }

    private static Double mean(double[] v) {
        return v == null ? null : v.length == 0 ? 0 : Stats.mean(v);
    }
}
