package dev.align4j.reward;

import ai.djl.Device;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
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

/** Tiny models and a synthetic preference for the reward-model tests. */
final class Synthetic {

    private Synthetic() {
    }

    /** A random byte-level GPT-2 (d 32, 2 layers, context 64) saved as a model folder. */
    static Path baseModel(Path dir) {
        ByteTokenizer tok = new ByteTokenizer();
        try (ModelBundle b = ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 64, 32, 2, 2), tok, Templates.PLAIN,
                Device.cpu(), 11)) {
            b.save(dir, Map.of("what", "random test model"));
        }
        return dir;
    }

    /**
     * Pairs whose replies differ in one letter at the same place: the chosen reply has a 'z' where
     * the rejected one has a 'y'. Nothing else tells them apart, so accuracy measures whether the
     * model learned "z is good".
     */
    static Path pairs(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String prompt = word(r, 2 + r.nextInt(3));
            String reply = word(r, 4);
            int at = r.nextInt(reply.length() + 1);
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("prompt", prompt);
            rec.put("chosen", " " + reply.substring(0, at) + "z" + reply.substring(at));
            rec.put("rejected", " " + reply.substring(0, at) + "y" + reply.substring(at));
            sb.append(Json.line(rec)).append('\n');
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    private static String word(Random r, int len) {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < len; i++) {
            w.append((char) ('a' + r.nextInt(8)));
        }
        return w.toString();
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file));
    }
}
