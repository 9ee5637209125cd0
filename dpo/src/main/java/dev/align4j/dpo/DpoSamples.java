package dev.align4j.dpo;

import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.run.SamplesFile;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.tokenize.PreferenceEncoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code samples.jsonl} ({@link SamplesFile}): the trained policy's completions of held-out prompts. */
final class DpoSamples {

    public static final String FILE = SamplesFile.FILE;

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

    /**
     * Samples from {@code bundle} and writes {@code runDir/samples.jsonl} ({@link SamplesFile}; row i
     * uses seed rowSeed(seed, i)); {@code prompt} is the last message's words.
     */
    static void write(Path runDir, ModelBundle bundle, List<List<Message>> prompts, DpoConfig cfg, int maxLength,
            long seed) {
        if (prompts.isEmpty()) {
            return;
        }
        PreferenceEncoder enc = new PreferenceEncoder(bundle.tokenizer(), bundle.template(),
                new PreferenceEncoder.Config(maxLength, Math.max(1, maxLength / 2)));
        SamplingParams params = SamplingParams.builder().temperature(cfg.temperature())
                .maxNewTokens(cfg.maxNewTokens()).eosTokenId(bundle.tokenizer().eosId()).seed(seed).build();
        int ctx = bundle.config().contextLength();
        List<int[]> ids = new ArrayList<>();
        for (List<Message> prompt : prompts) {
            int[] p = enc.promptIds(prompt);
            int keep = Math.max(1, Math.min(p.length, ctx - cfg.maxNewTokens()));
            ids.add(java.util.Arrays.copyOfRange(p, p.length - keep, p.length));
        }
        List<Generation> gens = SamplesFile.generate(bundle.model(), bundle.tokenizer(), ids, params);
        List<SamplesFile.Row> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            List<Message> prompt = prompts.get(i);
            rows.add(new SamplesFile.Row(prompt.get(prompt.size() - 1).content(),
                    bundle.template().renderPrompt(prompt), SamplesFile.completion(gens.get(i), bundle.tokenizer())));
        }
        SamplesFile.write(runDir, rows);
    }
}
