package dev.align4j.datasets.sentiment;

import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.train.DataOrder;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.Source;
import dev.align4j.datasets.tokenize.PreferenceEncoder;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judge-labelled preference pairs for the sentiment task: two sampled completions per prompt, the one
 * the {@link SentimentJudge} scores higher is chosen; ties are dropped and counted (TASK.md: about
 * 44 % of pairs), and so are pairs with an empty completion. Prompts are taken in order, {@code batchSize} at a time (each batch generates
 * 2 x batchSize rows); when the prompts run out before {@code nPairs} pairs, another pass starts with
 * fresh seeds, up to {@link Options#maxPasses} passes.
 *
 * <p>Completion k (0 or 1) of prompt i in pass p samples with seed
 * {@code mix(mix(seed, p * n + i), k)}, so a pair depends only on its prompt, the seed and the
 * sampling settings, never on the batch size.
 */
public final class PairMaker {

    private static final Logger LOG = LogManager.getLogger(PairMaker.class);

    /**
     * @param nPairs pairs wanted; 0 means one attempt per prompt (whatever survives the ties)
     * @param seed sampling seed
     * @param temperature sampling temperature (TASK.md samples at 1.0)
     * @param maxNewTokens completion length cap (TASK.md: completions of at most 24 tokens; 20 here)
     * @param batchSize prompts per generation batch
     * @param maxPasses passes over the prompts at most, when pairs are still missing
     */
    public record Options(int nPairs, long seed, double temperature, int maxNewTokens, int batchSize, int maxPasses) {
        public Options {
            if (nPairs < 0) {
                throw new IllegalArgumentException("n_pairs must be >= 0, got " + nPairs);
            }
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be > 0 (two greedy samples would always tie), got "
                        + temperature);
            }
            if (maxNewTokens < 1 || batchSize < 1 || maxPasses < 1) {
                throw new IllegalArgumentException("max_new_tokens, batch size and passes must be >= 1, got "
                        + maxNewTokens + ", " + batchSize + ", " + maxPasses);
            }
        }
    }

    /** The plain-string prompts of a prompts file (each record's prompt must be one user string). */
    public static List<String> promptTexts(Path file) {
        LoadedDataset ds = DatasetLoader.load(file, LoadOptions.defaults().withFormat(DataFormat.PROMPTS));
        List<String> texts = new ArrayList<>(ds.size());
        for (Example ex : ds.examples()) {
            List<Message> p = ex.prompt();
            if (p.size() != 1) {
                throw new UserInputException(ex.source() + ": prompt: sentiment prompts are plain strings");
            }
            texts.add(p.get(0).content());
        }
        return texts;
    }

    /** A labelled pair with both true scores. */
    public record Pair(String prompt, String chosen, String rejected, int scoreChosen, int scoreRejected) {

        /** The PREFERENCE record written to JSONL: prompt, chosen, rejected, margin and the two scores. */
        public Map<String, Object> toRecord() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prompt", prompt);
            m.put("chosen", chosen);
            m.put("rejected", rejected);
            m.put("margin", (double) (scoreChosen - scoreRejected));
            m.put("score_chosen", scoreChosen);
            m.put("score_rejected", scoreRejected);
            return m;
        }
    }

    /**
     * What {@link #make} produced: the pairs, how many prompts were tried, how many tied and how many
     * were dropped because a completion was empty (an immediate EOS: not a valid preference record).
     */
    public record Result(List<Pair> pairs, int attempts, int ties, int empty) {
        public double tieRate() {
            return attempts == 0 ? 0 : (double) ties / attempts;
        }
    }

    private final ModelBundle model;
    private final SentimentJudge judge;

    public PairMaker(ModelBundle model, SentimentJudge judge) {
        this.model = model;
        this.judge = judge;
    }

    /** Samples and labels pairs for {@code prompts} (plain strings, rendered with the model's template). */
    public Result make(List<String> prompts, Options o) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts");
        }
        int n = prompts.size();
        int wanted = o.nPairs() == 0 ? Integer.MAX_VALUE : o.nPairs();
        int passes = o.nPairs() == 0 ? 1 : o.maxPasses();
        // only the prompt side of the encoder is used: BOS + template, as training renders it
        PreferenceEncoder enc = new PreferenceEncoder(model.tokenizer(), model.template(),
                new PreferenceEncoder.Config(Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
        SamplingParams params = SamplingParams.builder().temperature(o.temperature()).maxNewTokens(o.maxNewTokens())
                .eosTokenId(model.tokenizer().eosId()).build();
        Generator gen = new Generator(model.model(), model.tokenizer());
        List<Pair> pairs = new ArrayList<>();
        int attempts = 0;
        int ties = 0;
        int empty = 0;
        for (int pass = 0; pass < passes && pairs.size() < wanted; pass++) {
            for (int from = 0; from < n && pairs.size() < wanted; from += o.batchSize()) {
                int to = Math.min(n, from + o.batchSize());
                List<int[]> ids = new ArrayList<>();
                long[] seeds = new long[2 * (to - from)];
                for (int i = from; i < to; i++) {
                    int[] p = enc.promptIds(List.of(Message.user(prompts.get(i))));
                    long base = DataOrder.mix(o.seed(), (long) pass * n + i);
                    ids.add(p);
                    ids.add(p);
                    seeds[2 * (i - from)] = DataOrder.mix(base, 0);
                    seeds[2 * (i - from) + 1] = DataOrder.mix(base, 1);
                }
                List<Generation> out = gen.generate(ids, seeds, params, null);
                for (int i = from; i < to && pairs.size() < wanted; i++) {
                    attempts++;
                    String a = out.get(2 * (i - from)).text();
                    String b = out.get(2 * (i - from) + 1).text();
                    if (a.isBlank() || b.isBlank()) {
                        empty++;
                        continue;
                    }
                    Optional<PreferenceExample> labelled = judge.label(new Source(null, i + 1), prompts.get(i), a, b);
                    if (labelled.isEmpty()) {
                        ties++;
                        continue;
                    }
                    PreferenceExample ex = labelled.get();
                    pairs.add(new Pair(prompts.get(i), ex.chosen(), ex.rejected(), judge.score(ex.chosen()),
                            judge.score(ex.rejected())));
                }
                LOG.debug("pairs: {} after {} attempts ({} ties)", pairs.size(), attempts, ties);
            }
        }
        if (pairs.size() < wanted && o.nPairs() > 0) {
            LOG.warn("made {} of {} pairs after {} passes over {} prompts ({} ties): give more prompts",
                    pairs.size(), wanted, passes, n, ties);
        }
        return new Result(pairs, attempts, ties, empty);
    }
}
