package dev.align4j.dpo;

import ai.djl.Device;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.Templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A tiny byte-level model and separable synthetic pairs, shared by the DPO tests. */
final class DpoFixtures {

    private DpoFixtures() {}

    /** A 1-layer d=32 GPT-2 over bytes with the plain template, saved to {@code dir}. */
    static Path tinyModel(Path dir, long seed) {
        ByteTokenizer tok = new ByteTokenizer();
        ModelConfig cfg = ModelConfig.gpt2(tok.vocabSize(), 48, 32, 1, 2);
        try (ModelBundle b = ModelBundle.create(cfg, tok, Templates.PLAIN, Device.cpu(), seed)) {
            b.save(dir, null);
        }
        return dir;
    }

    /**
     * {@code n} pairs whose replies share a random body and differ only in the last letter: chosen
     * ends with 'A', rejected with 'B'. A policy separates them by learning one token preference.
     */
    static Path separablePairs(Path file, int n, long seed) throws IOException {
        Random rng = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = word(rng, 2 + rng.nextInt(3));
            String body = " " + word(rng, 1 + rng.nextInt(3));
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("prompt", prompt);
            rec.put("chosen", body + "A");
            rec.put("rejected", body + "B");
            lines.add(Json.line(rec));
        }
        Files.write(file, lines);
        return file;
    }

    /** KTO records: completions ending in 'A' are desirable, in 'B' not. */
    static Path unpaired(Path file, int n, long seed) throws IOException {
        Random rng = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean good = i % 2 == 0;
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("prompt", word(rng, 3));
            rec.put("completion", " " + word(rng, 2) + (good ? "A" : "B"));
            rec.put("label", good);
            lines.add(Json.line(rec));
        }
        Files.write(file, lines);
        return file;
    }

    private static String word(Random rng, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + rng.nextInt(6)));
        }
        return sb.toString();
    }

    /** Small, fast training arguments writing to {@code out}. */
    static TrainingArgs.Builder args(Path out, long steps) {
        return TrainingArgs.builder().outputDir(out.toString()).maxSteps(steps).perDeviceTrainBatchSize(8)
                .perDeviceEvalBatchSize(8).learningRate(1e-3).loggingSteps(1).saveSteps(0).device("cpu").seed(7);
    }
}
