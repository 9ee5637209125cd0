package dev.align4j.pipelines.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ModelEval} measured: the table, and every prompt's completions side by side.
 *
 * @param grammaticalCeiling sentiment task: the highest win rate against the baseline that a policy
 *     whose every completion is a sentence of the task's grammar can reach ({@code SentimentCeiling});
 *     null for other tasks
 * @param samples one map per prompt: {@code prompt} and each model's completion under its name
 */
public record EvalReport(@JsonProperty("n") int n, @JsonProperty("seed") long seed,
        @JsonProperty("baseline") String baseline, @JsonProperty("reference") String reference,
        @JsonProperty("prompts") String prompts, @JsonProperty("heldout_texts") int heldoutTexts,
        @JsonProperty("models") List<ModelMetrics> models,
        @JsonProperty("grammatical_ceiling") Double grammaticalCeiling,
        @JsonProperty("samples") List<Map<String, String>> samples) {

    /** The table as Markdown (also readable as plain text). */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d held-out prompts (seed %d); win rate vs %s, KL to %s%n%n", n, seed,
                baseline, reference));
        sb.append("| model | true reward | RM score | win rate [95% CI] | KL | length | EOS | distinct | grammatical | perplexity |\n");
        sb.append("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (ModelMetrics m : models) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f | %.1f%% | %.3f | %s | %s |%n",
                    m.model(), num(m.trueReward(), "%.3f"), num(m.rmScore(), "%.3f"),
                    m.winRate() == null ? "-" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * m.winRate(),
                            100 * m.winLow(), 100 * m.winHigh()),
                    num(m.kl(), "%.2f"), m.meanLength(), 100 * m.eosRate(), m.distinctTokens(),
                    m.grammatical() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * m.grammatical()),
                    num(m.perplexity(), "%.2f")));
        }
        if (grammaticalCeiling != null) {
            sb.append(String.format(Locale.ROOT, "%nceiling: %.1f%% is the best win rate vs %s with every completion "
                    + "in the task's grammar (each open adjective slot positive)%n", 100 * grammaticalCeiling, baseline));
        }
        return sb.toString();
    }

    private static String num(Double v, String fmt) {
        return v == null ? "-" : String.format(Locale.ROOT, fmt, v);
    }
}
