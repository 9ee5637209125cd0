package dev.align4j.rl;

import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.run.SamplesFile;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code samples.jsonl} ({@link SamplesFile}) of an on-policy run: the final policy's completions of
 * the first prompts of a {@link PromptSet}, each with its reward. Shared by PPO and the critic-free
 * methods.
 */
public final class OnPolicySamples {

    private OnPolicySamples() {
    }

    /**
     * Row i samples with seed rowSeed(params.seed(), i); {@code prompt} is the last message's words,
     * {@code reward} the reward function's raw score of the completion (with the prompt's answer).
     */
    public static void write(Path runDir, ModelBundle policy, PromptSet prompts, SamplingParams params,
            RewardFunction reward) {
        List<Generation> gens = SamplesFile.generate(policy.model(), policy.tokenizer(), prompts.ids(), params);
        List<int[]> responses = new ArrayList<>();
        gens.forEach(g -> responses.add(g.tokens()));
        float[] scores = reward.score(new RewardInput(prompts.ids(), responses, prompts.answers()));
        List<SamplesFile.Row> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            List<Message> prompt = prompts.messages().get(i);
            rows.add(new SamplesFile.Row(prompt.get(prompt.size() - 1).content(),
                    policy.template().renderPrompt(prompt), SamplesFile.completion(gens.get(i), policy.tokenizer()),
                    Map.of("reward", scores[i])));
        }
        SamplesFile.write(runDir, rows);
    }
}
