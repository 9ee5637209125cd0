package dev.align4j.ppo;

import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code samples.jsonl}: the final policy's completions with their reward-model scores. */
final class PpoSamples {

    static final String FILE = "samples.jsonl";
    private static final int GEN_BATCH = 32;

    private PpoSamples() {}

    /** Row i samples with seed rowSeed(seed, i) at the rollout settings. */
    static void write(Path file, ModelBundle policy, List<List<Message>> messages, List<int[]> ids, PpoConfig cfg,
            Scorer scorer, long seed) {
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature()).topK(cfg.topK())
                .topP(cfg.topP()).maxNewTokens(cfg.maxNewTokens()).eosTokenId(policy.tokenizer().eosId())
                .seed(seed).build();
        Generator gen = new Generator(policy.model(), policy.tokenizer());
        StringBuilder sb = new StringBuilder();
        for (int from = 0; from < ids.size(); from += GEN_BATCH) {
            int to = Math.min(ids.size(), from + GEN_BATCH);
            long[] seeds = new long[to - from];
            for (int i = from; i < to; i++) {
                seeds[i - from] = SamplingParams.rowSeed(seed, i);
            }
            List<int[]> prompts = ids.subList(from, to);
            List<Generation> gens = gen.generate(prompts, seeds, params, null);
            List<int[]> responses = new ArrayList<>();
            gens.forEach(g -> responses.add(g.tokens()));
            float[] scores = scorer.score(prompts, responses);
            for (int i = from; i < to; i++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("prompt", policy.template().renderPrompt(messages.get(i)));
                line.put("completion", gens.get(i - from).text());
                line.put("reward", scores[i - from]);
                sb.append(Json.line(line)).append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
