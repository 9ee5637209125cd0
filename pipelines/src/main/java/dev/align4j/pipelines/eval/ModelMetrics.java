package dev.align4j.pipelines.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One model's row of the eval table; a metric that does not apply (no reward model, no judge) is null.
 *
 * @param rmScore mean reward-model score of its completions
 * @param trueReward mean score under the task's exact judge
 * @param winRate share of prompts where it beats the baseline (true reward if the task has a judge,
 *     else the RM score; ties half)
 * @param winLow lower end of the 95 % Wilson interval of winRate
 * @param winHigh upper end
 * @param kl mean over prompts of sum_t log pi(y_t) - log pi_ref(y_t) on its own samples (nats/sequence)
 * @param meanLength mean completion length in tokens (EOS included)
 * @param eosRate share of completions that ended with EOS rather than at max_new_tokens
 * @param distinctTokens distinct token ids / tokens over all its completions (distinct-1)
 * @param grammatical share of prompt + completion that are sentences of the task's grammar
 * @param perplexity exp(mean NLL per token) on the held-out texts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetrics(@JsonProperty("model") String model, @JsonProperty("dir") String dir,
        @JsonProperty("rm_score") Double rmScore, @JsonProperty("true_reward") Double trueReward,
        @JsonProperty("win_rate") Double winRate, @JsonProperty("win_rate_low") Double winLow,
        @JsonProperty("win_rate_high") Double winHigh, @JsonProperty("kl") Double kl,
        @JsonProperty("mean_length") double meanLength, @JsonProperty("eos_rate") double eosRate,
        @JsonProperty("distinct_tokens") double distinctTokens, @JsonProperty("grammatical") Double grammatical,
        @JsonProperty("perplexity") Double perplexity) {
}
