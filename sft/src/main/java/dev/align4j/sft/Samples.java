package dev.align4j.sft;

import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.run.SamplesFile;
import dev.align4j.core.tokenizer.Tokenizer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code samples.jsonl} of an SFT or pretraining run: completions of a few held-out prompts by the
 * trained model, in core's {@link SamplesFile} format, so a run can be judged by reading it.
 */
public final class Samples {

    private static final Logger LOG = LogManager.getLogger(Samples.class);

    public static final String FILE = SamplesFile.FILE;

    private Samples() {
    }

    /**
     * A prompt to complete.
     *
     * @param text the prompt as written in samples.jsonl (the user's words, not the template)
     * @param rendered the text the model is fed (template included, BOS excluded)
     * @param ids the token ids the model is fed (template and BOS included)
     */
    public record Prompt(String text, String rendered, int[] ids) {
    }

    /**
     * @param maxNewTokens tokens per completion (cut to fit the context)
     * @param temperature 0 for greedy
     */
    public record Settings(int maxNewTokens, double temperature) {
    }

    /** Generates and writes {@code runDir/samples.jsonl} (an empty file when there are no prompts). */
    public static void write(Path runDir, CausalLM model, Tokenizer tokenizer, List<Prompt> prompts,
            Settings settings, long seed) {
        int ctx = model.config().contextLength();
        List<Prompt> usable = prompts.stream().filter(p -> p.ids().length > 0 && p.ids().length < ctx).toList();
        List<SamplesFile.Row> rows = new ArrayList<>();
        if (!usable.isEmpty()) {
            int longest = usable.stream().mapToInt(p -> p.ids().length).max().orElse(0);
            int newTokens = Math.max(1, Math.min(settings.maxNewTokens(), ctx - longest));
            SamplingParams params = SamplingParams.builder()
                    .temperature(settings.temperature())
                    .maxNewTokens(newTokens)
                    .eosTokenId(tokenizer.eosId())
                    .seed(seed)
                    .build();
            List<Generation> gens = SamplesFile.generate(model, tokenizer,
                    usable.stream().map(Prompt::ids).toList(), params);
            for (int i = 0; i < usable.size(); i++) {
                rows.add(new SamplesFile.Row(usable.get(i).text(), usable.get(i).rendered(),
                        SamplesFile.completion(gens.get(i), tokenizer)));
            }
        }
        Path file = SamplesFile.write(runDir, rows);
        LOG.info("wrote {} samples to {}", rows.size(), file);
    }
}
