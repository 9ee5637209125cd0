package dev.align4j.sft;

import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.tokenizer.Tokenizer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code samples.jsonl}: completions of a few held-out prompts by the trained model, one
 * {@code {"prompt", "completion"}} object per line (TASK.md's evaluation format), so a run can be
 * judged by reading it.
 */
public final class Samples {

    private static final Logger LOG = LogManager.getLogger(Samples.class);

    public static final String FILE = "samples.jsonl";

    private Samples() {
    }

    /**
     * A prompt to complete.
     *
     * @param text the prompt as written in samples.jsonl (the user's words, not the template)
     * @param ids the token ids the model is fed (template and BOS included)
     */
    public record Prompt(String text, int[] ids) {
    }

    /**
     * @param maxNewTokens tokens per completion (cut to fit the context)
     * @param temperature 0 for greedy
     */
    public record Settings(int maxNewTokens, double temperature) {
    }

    /** Generates and writes the samples file (an empty file when there are no prompts). */
    public static void write(Path file, CausalLM model, Tokenizer tokenizer, List<Prompt> prompts,
            Settings settings, long seed) {
        int ctx = model.config().contextLength();
        List<Prompt> usable = prompts.stream().filter(p -> p.ids().length > 0 && p.ids().length < ctx).toList();
        StringBuilder sb = new StringBuilder();
        if (!usable.isEmpty()) {
            int longest = usable.stream().mapToInt(p -> p.ids().length).max().orElse(0);
            int newTokens = Math.max(1, Math.min(settings.maxNewTokens(), ctx - longest));
            SamplingParams params = SamplingParams.builder()
                    .temperature(settings.temperature())
                    .maxNewTokens(newTokens)
                    .eosTokenId(tokenizer.eosId())
                    .seed(seed)
                    .build();
            List<int[]> ids = new ArrayList<>();
            usable.forEach(p -> ids.add(p.ids()));
            List<Generation> gens = new Generator(model, tokenizer).generate(ids, params);
            for (int i = 0; i < usable.size(); i++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("prompt", usable.get(i).text());
                line.put("completion", completion(gens.get(i), tokenizer));
                sb.append(Json.line(line)).append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
        LOG.info("wrote {} samples to {}", usable.size(), file);
    }

    /** The generated text without a final EOS. */
    private static String completion(Generation g, Tokenizer tokenizer) {
        int[] t = g.tokens();
        int n = t.length;
        while (n > 0 && t[n - 1] == tokenizer.eosId()) {
            n--;
        }
        return tokenizer.decode(Arrays.copyOf(t, n));
    }
}
