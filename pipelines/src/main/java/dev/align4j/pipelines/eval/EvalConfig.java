package dev.align4j.pipelines.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of an {@code eval} stage and of {@code align4j eval --config}.
 *
 * @param models name to model folder, in the order of the table (required)
 * @param baseline the model win rates are measured against (default: the first)
 * @param reference the model KL is measured to (default: the baseline)
 * @param prompts held-out {prompt} records (required)
 * @param n prompts used, the first n (default 256)
 * @param seed sampling seed; prompt i is sampled with the same seed by every model (default 1)
 * @param maxNewTokens (default 24)
 * @param temperature (default 1.0; the KL estimate is unbiased only at 1)
 * @param rewardModel a reward model folder to score completions with, or null
 * @param task {@code sentiment} (true reward from the exact judge, grammatical rate), {@code arithmetic}
 *     (exact-match accuracy greedy and at {@code temperature}, {@link ArithmeticEval}) or {@code none}
 * @param lexicon the sentiment lexicon, or null for the shared task's (else the bundled copy)
 * @param heldoutSentences fresh corpus sentences to measure perplexity on (sentiment; default 256)
 * @param text a text file (one text per line) to measure perplexity on, or null
 * @param device auto, cpu, gpu or gpu:N
 */
public record EvalConfig(@JsonProperty("models") Map<String, String> models,
        @JsonProperty("baseline") String baseline, @JsonProperty("reference") String reference,
        @JsonProperty("prompts") String prompts, @JsonProperty("n") Integer n, @JsonProperty("seed") Long seed,
        @JsonProperty("max_new_tokens") Integer maxNewTokens, @JsonProperty("temperature") Double temperature,
        @JsonProperty("reward_model") String rewardModel, @JsonProperty("task") String task,
        @JsonProperty("lexicon") String lexicon, @JsonProperty("heldout_sentences") Integer heldoutSentences,
        @JsonProperty("text") String text, @JsonProperty("device") String device) {

    public EvalConfig {
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("models: give at least one, as name: folder");
        }
        models = new LinkedHashMap<>(models);
        baseline = baseline == null ? models.keySet().iterator().next() : baseline;
        reference = reference == null ? baseline : reference;
        for (String m : new String[] {baseline, reference}) {
            if (!models.containsKey(m)) {
                throw new IllegalArgumentException("'" + m + "' is not one of models (" + String.join(", ", models.keySet())
                        + ")");
            }
        }
        if (prompts == null) {
            throw new IllegalArgumentException("prompts: required (a held-out {prompt} file)");
        }
        n = n == null ? 256 : n;
        seed = seed == null ? 1L : seed;
        maxNewTokens = maxNewTokens == null ? 24 : maxNewTokens;
        temperature = temperature == null ? 1.0 : temperature;
        task = task == null ? "sentiment" : task;
        if (!task.equals("sentiment") && !task.equals("arithmetic") && !task.equals("none")) {
            throw new IllegalArgumentException("task: sentiment, arithmetic or none, got '" + task + "'");
        }
        if (task.equals("arithmetic") && (rewardModel != null || text != null)) {
            throw new IllegalArgumentException((rewardModel != null ? "reward_model" : "text")
                    + ": not used by task arithmetic");
        }
        heldoutSentences = heldoutSentences == null ? (task.equals("sentiment") ? 256 : 0) : heldoutSentences;
        device = device == null ? "auto" : device;
        if (n < 1 || maxNewTokens < 1 || !(temperature >= 0) || heldoutSentences < 0) {
            throw new IllegalArgumentException("need n >= 1, max_new_tokens >= 1, temperature >= 0, "
                    + "heldout_sentences >= 0; got " + n + ", " + maxNewTokens + ", " + temperature + ", " + heldoutSentences);
        }
    }

    public boolean sentiment() {
        return task.equals("sentiment");
    }

    public boolean arithmetic() {
        return task.equals("arithmetic");
    }
}
