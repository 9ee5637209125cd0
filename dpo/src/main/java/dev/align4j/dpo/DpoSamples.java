package dev.align4j.dpo;

import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.tokenize.PreferenceEncoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code samples.jsonl}: the trained policy's completions of held-out prompts, one {prompt, completion} a line. */
final class DpoSamples {

    public static final String FILE = "samples.jsonl";
    private static final int GEN_BATCH = 32;

    private DpoSamples() {}

    /**
     * The first sample_n prompts of sample_prompts, else of the validation pairs, else of the training
     * pairs. Read during validation, so a bad prompts file fails before anything is written.
     */
    static List<List<Message>> prompts(DpoConfig cfg, DpoData data) {
        int n = cfg.sampleN();
        List<List<Message>> out = new ArrayList<>();
        if (n == 0) {
            return out;
        }
        if (cfg.samplePrompts() != null) {
            Path file = Path.of(cfg.samplePrompts());
            if (!Files.isRegularFile(file)) {
                throw new UserInputException("sample_prompts: file not found: " + file);
            }
            for (Example e : DatasetLoader.load(file, LoadOptions.defaults().withPromptsOnly(true)).examples()) {
                if (out.size() < n) {
                    out.add(e.prompt());
                }
            }
            return out;
        }
        int[] from = data.validation().length > 0 ? data.validation() : data.train();
        for (int k = 0; k < from.length && out.size() < n; k++) {
            out.add(data.prompts().get(from[k]));
        }
        return out;
    }

    /** Samples from {@code bundle} and writes {@code dir/samples.jsonl}; row i uses seed rowSeed(seed, i). */
    static void write(Path file, ModelBundle bundle, List<List<Message>> prompts, DpoConfig cfg, int maxLength,
            long seed) {
        PreferenceEncoder enc = new PreferenceEncoder(bundle.tokenizer(), bundle.template(),
                new PreferenceEncoder.Config(maxLength, Math.max(1, maxLength / 2)));
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature())
                .maxNewTokens(cfg.maxNewTokens()).eosTokenId(bundle.tokenizer().eosId()).seed(seed).build();
        Generator gen = new Generator(bundle.model(), bundle.tokenizer());
        StringBuilder sb = new StringBuilder();
        int ctx = bundle.config().contextLength();
        for (int from = 0; from < prompts.size(); from += GEN_BATCH) {
            int to = Math.min(prompts.size(), from + GEN_BATCH);
            List<int[]> ids = new ArrayList<>();
            long[] seeds = new long[to - from];
            for (int i = from; i < to; i++) {
                int[] p = enc.promptIds(prompts.get(i));
                int keep = Math.max(1, Math.min(p.length, ctx - cfg.maxNewTokens()));
                ids.add(java.util.Arrays.copyOfRange(p, p.length - keep, p.length));
                seeds[i - from] = SamplingParams.rowSeed(seed, i);
            }
            List<Generation> gens = gen.generate(ids, seeds, params, null);
            for (int i = from; i < to; i++) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("prompt", bundle.template().renderPrompt(prompts.get(i)));
                line.put("completion", gens.get(i - from).text());
                sb.append(Json.line(line)).append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
