package dev.align4j.annotate;

import dev.align4j.core.gen.BatchedGeneration;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.tokenize.PreferenceEncoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pairs to annotate, sampled from a model: {@code n} completions per prompt, each with its own
 * seed, then the distinct non-blank ones paired in order (1st with 2nd, 3rd with 4th, ...), so no
 * response is in two pairs. Identical samples are dropped and counted.
 *
 * <p>Sample k of prompt i uses seed {@code SamplingParams.rowSeed(seed, i * n + k)} (the batch does
 * not matter), through core's {@link BatchedGeneration}; prompts are rendered with the model's template as
 * training renders them (PreferenceEncoder's prompt side).
 */
public final class PairGenerator {

    /**
     * @param n samples per prompt, >= 2
     * @param seed base sampling seed
     * @param batchSize prompts per generation batch
     */
    public record Options(int n, long seed, int batchSize) {
        public Options {
            if (n < 2) {
                throw new IllegalArgumentException("n must be >= 2 (two samples make a pair), got " + n);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
        }
    }

    /** The pairs, and how many samples were dropped as duplicates or blank. */
    public record Result(List<Pair> pairs, int samples, int identical, int blank) {
    }

    private PairGenerator() {
    }

    /** Samples {@code o.n()} completions of each prompt with {@code params} (its seed is ignored). */
    public static Result generate(ModelBundle model, List<List<Message>> prompts, SamplingParams params, Options o) {
        PreferenceEncoder enc = new PreferenceEncoder(model.tokenizer(), model.template(),
                new PreferenceEncoder.Config(Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
        List<int[]> ids = new ArrayList<>(prompts.size() * o.n());
        for (List<Message> prompt : prompts) {
            int[] p = enc.promptIds(prompt);
            for (int k = 0; k < o.n(); k++) {
                ids.add(p); // sample k of prompt i is row i * n + k
            }
        }
        List<Generation> out = BatchedGeneration.generate(new Generator(model.model(), model.tokenizer()), ids,
                params.toBuilder().seed(o.seed()).build(), o.batchSize() * o.n());
        List<Pair> pairs = new ArrayList<>();
        int identical = 0;
        int blank = 0;
        for (int i = 0; i < prompts.size(); i++) {
            Set<String> distinct = new LinkedHashSet<>();
            for (int k = 0; k < o.n(); k++) {
                String t = out.get(i * o.n() + k).text();
                if (t.isBlank()) {
                    blank++;
                } else if (!distinct.add(t)) {
                    identical++;
                }
            }
            List<String> d = new ArrayList<>(distinct);
            for (int j = 0; j + 1 < d.size(); j += 2) {
                pairs.add(new Pair(i + "." + j / 2, prompts.get(i), d.get(j), d.get(j + 1), null));
            }
        }
        return new Result(pairs, prompts.size() * o.n(), identical, blank);
    }

    /** The {@code {id, prompt, responses: [a, b]}} record of a pair, as {@link PairFile} reads it. */
    public static java.util.Map<String, Object> record(Pair p) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", p.id());
        m.put("prompt", PromptJson.toNode(p.prompt()));
        m.put("responses", List.of(p.a(), p.b()));
        return m;
    }
}
