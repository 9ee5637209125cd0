package dev.align4j.rl;

import dev.align4j.core.gen.BatchedGeneration;
import dev.align4j.core.gen.FinishReason;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.CausalLM;

import java.util.ArrayList;
import java.util.List;

/** Rollout generation on core's {@link Generator}, with the one per-row seeding rule. */
public final class Rollouts {

    private Rollouts() {}

    /**
     * Samples one response per prompt; row i draws with seed {@code SamplingParams.rowSeed(params.seed(), i)},
     * so a rollout is a function of (weights, prompts, params). The generator's own per-token
     * log-probs are not kept: they come from the raw logits, while the update needs the log-probs
     * of the training forward (a {@link Forward} pass over the {@link Rollout} layout).
     */
    public static Rollout generate(CausalLM policy, List<int[]> prompts, SamplingParams params) {
        List<Generation> gens = new Generator(policy).generate(prompts,
                BatchedGeneration.rowSeeds(params.seed(), 0, prompts.size()), params, null);
        List<int[]> responses = new ArrayList<>();
        boolean[] eos = new boolean[gens.size()];
        for (int i = 0; i < gens.size(); i++) {
            responses.add(gens.get(i).tokens());
            eos[i] = gens.get(i).finishReason() == FinishReason.EOS;
        }
        return new Rollout(prompts, responses, eos);
    }
}
