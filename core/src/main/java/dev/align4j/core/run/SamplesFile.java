package dev.align4j.core.run;

import dev.align4j.core.gen.BatchedGeneration;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code samples.jsonl}, the same for every method: one object per line with {@code prompt} (the
 * user's words, never the template), {@code rendered_prompt} (the text the model was fed, template
 * included), {@code completion}, then method extras (PPO: {@code reward}). Written atomically.
 */
public final class SamplesFile {

    public static final String FILE = "samples.jsonl";
    /** Prompts per generation batch. */
    public static final int BATCH = 32;

    private SamplesFile() {
    }

    /** One line of the file. */
    public record Row(String prompt, String renderedPrompt, String completion, Map<String, Object> extra) {
        public Row(String prompt, String renderedPrompt, String completion) {
            this(prompt, renderedPrompt, completion, Map.of());
        }
    }

    /** Writes {@code rows} to {@code runDir/samples.jsonl} (an empty file for none). */
    public static Path write(Path runDir, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Row r : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("prompt", r.prompt());
            line.put("rendered_prompt", r.renderedPrompt());
            line.put("completion", r.completion());
            line.putAll(r.extra());
            sb.append(Json.line(line)).append('\n');
        }
        Path file = runDir.resolve(FILE);
        AtomicFiles.writeString(file, sb.toString());
        return file;
    }

    /**
     * Continues {@code prompts} in batches of {@link #BATCH}; prompt i (over the whole list) samples
     * with seed {@code SamplingParams.rowSeed(params.seed(), i)}, so the batch size changes nothing.
     */
    public static List<Generation> generate(CausalLM model, Tokenizer tokenizer, List<int[]> prompts,
            SamplingParams params) {
        return BatchedGeneration.generate(new Generator(model, tokenizer), prompts, params, BATCH);
    }

    /** The generated text without a final EOS. */
    public static String completion(Generation g, Tokenizer tokenizer) {
        int[] t = g.tokens();
        int n = t.length;
        while (n > 0 && t[n - 1] == tokenizer.eosId()) {
            n--;
        }
        return tokenizer.decode(Arrays.copyOf(t, n));
    }

    /** BOS (when {@code bos}) followed by the ids of {@code rendered}: how every method feeds a prompt. */
    public static int[] promptIds(Tokenizer tokenizer, String rendered, boolean bos) {
        int[] body = tokenizer.encode(rendered);
        if (!bos) {
            return body;
        }
        int[] ids = new int[body.length + 1];
        ids[0] = tokenizer.bosId();
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }
}
