package dev.align4j.ppo;

import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.run.SamplesFile;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;
import dev.align4j.rl.RewardFunction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code samples.jsonl} ({@link SamplesFile}): the final policy's completions with their rewards. */
final class PpoSamples {

    static final String FILE = SamplesFile.FILE;

    private PpoSamples() {}

    /**
     * Row i samples with seed rowSeed(seed, i) at the rollout settings; {@code prompt} is the last
     * message's words, {@code reward} the reward function's raw score of the completion.
     */
    static void write(Path runDir, ModelBundle policy, List<List<Message>> messages, List<int[]> ids, PpoConfig cfg,
            RewardFunction reward, long seed) {
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature()).topK(cfg.topK())
                .topP(cfg.topP()).maxNewTokens(cfg.maxNewTokens()).eosTokenId(policy.tokenizer().eosId())
                .seed(seed).build();
        List<Generation> gens = SamplesFile.generate(policy.model(), policy.tokenizer(), ids, params);
        List<int[]> responses = new ArrayList<>();
        gens.forEach(g -> responses.add(g.tokens()));
        float[] scores = reward.score(ids, responses);
        List<SamplesFile.Row> rows = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            List<Message> prompt = messages.get(i);
            rows.add(new SamplesFile.Row(prompt.get(prompt.size() - 1).content(),
                    policy.template().renderPrompt(prompt), SamplesFile.completion(gens.get(i), policy.tokenizer()),
                    Map.of("reward", scores[i])));
        }
        SamplesFile.write(runDir, rows);
    }
}
