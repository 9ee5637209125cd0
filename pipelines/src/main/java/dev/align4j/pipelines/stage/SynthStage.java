package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.datasets.arithmetic.ArithmeticSynth;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentSynth;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code kind: synth}: a built-in task's data, as {@code align4j data synth sentiment|arithmetic}
 * writes it: corpus, SFT records, train and held-out prompts, under the same output names for both
 * tasks ({@code corpus}, {@code sft}, {@code prompts_train}, {@code prompts_eval}).
 */
public final class SynthStage implements Stage {

    /**
     * @param task {@code sentiment} (default) or {@code arithmetic}
     * @param n corpus sentences (sentiment, default 20000) or SFT examples (arithmetic, default 5000)
     * @param trainPrompts prompts for rollouts and pairs (default 2048)
     * @param evalPrompts held-out prompts (default 256)
     * @param seed random seed (default 1)
     * @param lexicon lexicon JSON, or null for the shared task's (else the bundled copy); sentiment only
     * @param maxDigits longest operand, 1..3 (arithmetic only, default 2)
     * @param ops operators, {@code +} and/or {@code -} (arithmetic only, default {@code +-})
     */
    public record Config(@JsonProperty("task") String task, @JsonProperty("n") Integer n,
            @JsonProperty("train_prompts") Integer trainPrompts, @JsonProperty("eval_prompts") Integer evalPrompts,
            @JsonProperty("seed") Long seed, @JsonProperty("lexicon") String lexicon,
            @JsonProperty("max_digits") Integer maxDigits, @JsonProperty("ops") String ops) {
        public Config {
            task = task == null ? "sentiment" : task;
            if (!task.equals("sentiment") && !task.equals("arithmetic")) {
                throw new IllegalArgumentException("task: unknown task '" + task + "' (sentiment or arithmetic)");
            }
            boolean arithmetic = task.equals("arithmetic");
            if (arithmetic && lexicon != null) {
                throw new IllegalArgumentException("lexicon: only for task sentiment");
            }
            if (!arithmetic && (maxDigits != null || ops != null)) {
                throw new IllegalArgumentException((maxDigits != null ? "max_digits" : "ops") + ": only for task arithmetic");
            }
            n = n == null ? (arithmetic ? 5000 : 20000) : n;
            trainPrompts = trainPrompts == null ? 2048 : trainPrompts;
            evalPrompts = evalPrompts == null ? 256 : evalPrompts;
            seed = seed == null ? 1L : seed;
            maxDigits = maxDigits == null && arithmetic ? Integer.valueOf(2) : maxDigits;
            ops = ops == null && arithmetic ? "+-" : ops;
        }

        boolean arithmetic() {
            return task.equals("arithmetic");
        }

        SentimentSynth.Options options() {
            return new SentimentSynth.Options(n, trainPrompts, evalPrompts, seed);
        }

        ArithmeticSynth.Options arithmeticOptions() {
            return new ArithmeticSynth.Options(n, trainPrompts, evalPrompts, seed, maxDigits, ops);
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
        Config cfg = c.bind(Config.class);
        if (cfg.arithmetic()) {
            cfg.arithmeticOptions();
        } else {
            cfg.options();
        }
    }

    @Override
    public StageOutcome run(StageConfig c) {
        Config cfg = c.bind(Config.class);
        if (cfg.arithmetic()) {
            ArithmeticSynth.Written w = ArithmeticSynth.write(c.dir(), cfg.arithmeticOptions());
            return StageOutcome.done(String.format(Locale.ROOT,
                    "synth arithmetic: %d SFT examples, %d train prompts, %d eval prompts (of %d distinct problems)",
                    w.sft(), w.trainPrompts(), w.evalPrompts(), w.distinctProblems()));
        }
        Lexicon lex = Lexicon.resolve(cfg.lexicon() == null ? null : Path.of(cfg.lexicon()));
        SentimentSynth.Written w = SentimentSynth.write(c.dir(), lex, cfg.options());
        return StageOutcome.done(String.format(Locale.ROOT,
                "synth: %d sentences (mean true score %.3f), %d train prompts, %d eval prompts",
                w.sentences(), w.meanScore(), w.trainPrompts(), w.evalPrompts()));
    }
}
