package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Devices;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.PairMaker;
import dev.align4j.datasets.sentiment.SentimentJudge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code kind: pairs}: two samples per prompt from a model, labelled by the sentiment task's judge
 * ({@code align4j data pairs sentiment}); writes {@code pairs.jsonl}.
 */
public final class PairsStage implements Stage {

    /** The keys and defaults of {@code data pairs sentiment}'s flags. */
    public record Config(@JsonProperty("model") String model, @JsonProperty("prompts") String prompts,
            @JsonProperty("n_pairs") Integer nPairs, @JsonProperty("seed") Long seed,
            @JsonProperty("temperature") Double temperature, @JsonProperty("max_new_tokens") Integer maxNewTokens,
            @JsonProperty("batch_size") Integer batchSize, @JsonProperty("lexicon") String lexicon,
            @JsonProperty("device") String device) {
        public Config {
            if (model == null || prompts == null) {
                throw new IllegalArgumentException("model and prompts are required");
            }
            nPairs = nPairs == null ? 0 : nPairs;
            seed = seed == null ? 1L : seed;
            temperature = temperature == null ? 1.0 : temperature;
            maxNewTokens = maxNewTokens == null ? 20 : maxNewTokens;
            batchSize = batchSize == null ? 64 : batchSize;
            device = device == null ? "auto" : device;
        }

        PairMaker.Options options() {
            try {
                return new PairMaker.Options(nPairs, seed, temperature, maxNewTokens, batchSize, 10);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
        }
    }

    static final String FILE = "pairs.jsonl";

    @Override
    public Set<String> keys() {
        return StageKeys.of(Config.class);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("model", "prompts", "lexicon");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("data", FILE, "dir", ".");
    }

    @Override
    public void check(StageConfig c) {
        c.bind(Config.class).options();
    }

    @Override
    public StageOutcome run(StageConfig c) {
        Config cfg = c.bind(Config.class);
        List<String> texts = promptTexts(Path.of(cfg.prompts()));
        SentimentJudge judge = new SentimentJudge(Lexicon.resolve(cfg.lexicon() == null ? null : Path.of(cfg.lexicon())));
        PairMaker.Result r;
        try (ModelBundle bundle = ModelBundle.load(Path.of(cfg.model()), Devices.resolve(cfg.device()), null)) {
            r = new PairMaker(bundle, judge).make(texts, cfg.options());
        }
        StringBuilder sb = new StringBuilder();
        r.pairs().forEach(p -> sb.append(Json.line(p.toRecord())).append('\n'));
        AtomicFiles.writeString(c.dir().resolve(FILE), sb.toString());
        return StageOutcome.done(String.format(Locale.ROOT, "pairs: %d pairs from %d attempts (%d ties, %.1f%%)",
                r.pairs().size(), r.attempts(), r.ties(), 100 * r.tieRate()));
    }

    /** The plain-string prompts of a {prompt} file. */
    static List<String> promptTexts(Path file) {
        LoadedDataset ds = DatasetLoader.load(file, LoadOptions.defaults().withFormat(DataFormat.PROMPTS));
        List<String> texts = new ArrayList<>(ds.size());
        for (Example ex : ds.examples()) {
            List<Message> p = ex.prompt();
            if (p.size() != 1) {
                throw new UserInputException(ex.source() + ": prompt: sentiment prompts are plain strings");
            }
            texts.add(p.get(0).content());
        }
        return texts;
    }
}
