package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentSynth;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code kind: synth}: the sentiment task's data ({@code align4j data synth sentiment}): corpus,
 * SFT records, train and held-out prompts.
 */
public final class SynthStage implements Stage {

    /**
     * @param task the built-in task; only {@code sentiment} today
     * @param n corpus sentences (default 20000)
     * @param trainPrompts prompts for rollouts and pairs (default 2048)
     * @param evalPrompts held-out prompts (default 256)
     * @param seed random seed (default 1)
     * @param lexicon lexicon JSON, or null for the shared task's (else the bundled copy)
     */
    public record Config(@JsonProperty("task") String task, @JsonProperty("n") Integer n,
            @JsonProperty("train_prompts") Integer trainPrompts, @JsonProperty("eval_prompts") Integer evalPrompts,
            @JsonProperty("seed") Long seed, @JsonProperty("lexicon") String lexicon) {
        public Config {
            task = task == null ? "sentiment" : task;
            if (!task.equals("sentiment")) {
                throw new IllegalArgumentException("task: unknown task '" + task + "' (only sentiment)");
            }
            n = n == null ? 20000 : n;
            trainPrompts = trainPrompts == null ? 2048 : trainPrompts;
            evalPrompts = evalPrompts == null ? 256 : evalPrompts;
            seed = seed == null ? 1L : seed;
        }

        SentimentSynth.Options options() {
            return new SentimentSynth.Options(n, trainPrompts, evalPrompts, seed);
        }
    }

    @Override
    public Set<String> keys() {
        return StageKeys.of(Config.class);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("lexicon");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("dir", ".", "corpus", "corpus.txt", "sft", "sft.jsonl",
                "prompts_train", "prompts_train.jsonl", "prompts_eval", "prompts_eval.jsonl");
    }

    @Override
    public void check(StageConfig c) {
        c.bind(Config.class).options();
    }

    @Override
    public StageOutcome run(StageConfig c) {
        Config cfg = c.bind(Config.class);
        Lexicon lex = Lexicon.resolve(cfg.lexicon() == null ? null : Path.of(cfg.lexicon()));
        SentimentSynth.Written w = SentimentSynth.write(c.dir(), lex, cfg.options());
        return StageOutcome.done(String.format(Locale.ROOT,
                "synth: %d sentences (mean true score %.3f), %d train prompts, %d eval prompts",
                w.sentences(), w.meanScore(), w.trainPrompts(), w.evalPrompts()));
    }
}
