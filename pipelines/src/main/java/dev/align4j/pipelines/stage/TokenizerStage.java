package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.tokenizer.BpeTokenizer;
import dev.align4j.core.UserInputException;
import dev.align4j.core.tokenizer.BpeTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code kind: tokenizer}: a byte-level BPE trained on text files ({@code align4j tokenizer train}). */
public final class TokenizerStage implements Stage {

    /**
     * @param vocabSize vocabulary size, the special tokens included (required)
     * @param input UTF-8 text files (required)
     * @param minFrequency rarest pair merged (default 2)
     */
    public record Config(@JsonProperty("vocab_size") Integer vocabSize, @JsonProperty("input") List<String> input,
            @JsonProperty("min_frequency") Integer minFrequency) {
        public Config {
            if (vocabSize == null || input == null || input.isEmpty()) {
                throw new IllegalArgumentException("vocab_size and input are required");
            }
            minFrequency = minFrequency == null ? 2 : minFrequency;
        }

        BpeTrainer trainer() {
            return new BpeTrainer(vocabSize, minFrequency);
        }
    }

    @Override
    public Set<String> keys() {
        return StageKeys.of(Config.class);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("input");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("tokenizer", ".", "dir", ".");
    }

    @Override
    public void check(StageConfig c) {
        Config cfg = c.bind(Config.class);
        cfg.trainer();
        for (String f : cfg.input()) {
            Path p = Path.of(f);
            // files an earlier stage writes do not exist yet; those that do are checked now
            if (Files.isDirectory(p) || (Files.isRegularFile(p) && sizeOf(p) == 0)) {
                // in the --set form the pipeline loader moves to the line of the input key
                throw UserInputException.at("--set", 0, "input", f + ": "
                        + (Files.isDirectory(p) ? "is a folder, expected a text file"
                                : "empty file; a tokenizer needs text to learn merges from"));
            }
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1; // unreadable: reported when the stage reads it
        }
    }

    @Override
    public StageOutcome run(StageConfig c) {
        Config cfg = c.bind(Config.class);
        BpeTokenizer tok = cfg.trainer().trainOnFiles(cfg.input().stream().map(Path::of).toList());
        tok.save(c.dir());
        return StageOutcome.done(String.format(Locale.ROOT, "tokenizer: vocab %d (%d merges)", tok.vocabSize(),
                tok.mergeCount()));
    }
}
