package dev.align4j.pipelines.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ArithmeticEval} measured.
 *
 * @param task always {@value #TASK}: tells this eval.json from {@link EvalReport}'s
 * @param temperature the sampling temperature of the {@code sampled} accuracies, null when only greedy ran
 * @param samples one map per prompt: {@code prompt}, {@code answer} and each model's greedy completion
 */
public record ArithmeticReport(@JsonProperty("task") String task, @JsonProperty("n") int n, @JsonProperty("seed") long seed,
        @JsonProperty("temperature") Double temperature, @JsonProperty("prompts") String prompts,
        @JsonProperty("models") List<Row> models, @JsonProperty("samples") List<Map<String, String>> samples) {

    public static final String TASK = "arithmetic";

    public ArithmeticReport {
        task = TASK;
    }

    public ArithmeticReport(int n, long seed, Double temperature, String prompts, List<Row> models,
            List<Map<String, String>> samples) {
        this(TASK, n, seed, temperature, prompts, models, samples);
    }

    /** Exact-match accuracy with its Wilson 95 % interval. */
    public record Accuracy(@JsonProperty("correct") int correct, @JsonProperty("n") int n,
            @JsonProperty("accuracy") double accuracy, @JsonProperty("low") double low,
            @JsonProperty("high") double high) {

        /** {@code 12.5% [8.1, 18.7]}. */
        public String cell() {
            return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * accuracy, 100 * low, 100 * high);
        }
    }

    /**
     * One model.
     *
     * @param greedy accuracy at temperature 0
     * @param sampled accuracy at {@code temperature}, null when it is 0
     * @param meanLength greedy completion tokens, EOS included
     * @param eosRate share of greedy completions that ended with EOS
     */
    public record Row(@JsonProperty("model") String model, @JsonProperty("dir") String dir,
            @JsonProperty("greedy") Accuracy greedy, @JsonProperty("sampled") Accuracy sampled,
            @JsonProperty("mean_length") double meanLength, @JsonProperty("eos_rate") double eosRate) {
    }

    /** The table as Markdown (also readable as plain text). */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d held-out arithmetic prompts (seed %d); exact-match accuracy [95%% "
                + "Wilson CI]%n%n", n, seed));
        String t = temperature == null ? "-" : String.format(Locale.ROOT, "%.2f", temperature);
        sb.append("| model | greedy | sampled (T ").append(t).append(") | length | EOS |\n");
        sb.append("| --- | --- | --- | ---: | ---: |\n");
        for (Row r : models) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f%% |%n", r.model(), r.greedy().cell(),
                    r.sampled() == null ? "-" : r.sampled().cell(), r.meanLength(), 100 * r.eosRate()));
        }
        return sb.toString();
    }

    /** One line for a pipeline's log. */
    public String summary() {
        StringBuilder sb = new StringBuilder("eval arithmetic:");
        for (Row r : models) {
            sb.append(String.format(Locale.ROOT, " %s %.1f%% greedy", r.model(), 100 * r.greedy().accuracy()));
            if (r.sampled() != null) {
                sb.append(String.format(Locale.ROOT, " / %.1f%% sampled", 100 * r.sampled().accuracy()));
            }
            sb.append(';');
        }
        return sb.substring(0, sb.length() - 1);
    }
}
