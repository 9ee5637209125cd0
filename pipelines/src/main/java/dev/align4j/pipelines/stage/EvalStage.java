package dev.align4j.pipelines.stage;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Devices;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.pipelines.eval.ArithmeticEval;
import dev.align4j.pipelines.eval.ArithmeticReport;
import dev.align4j.pipelines.eval.EvalConfig;
import dev.align4j.pipelines.eval.EvalReport;
import dev.align4j.pipelines.eval.ModelEval;
import dev.align4j.pipelines.eval.ModelMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code kind: eval}: {@link ModelEval} on the keys of {@link EvalConfig}; writes {@code eval.json},
 * {@code eval.md} (the table) and {@code samples.jsonl} (every prompt with each model's completion).
 * With {@code task: arithmetic} the same three files come from {@link ArithmeticEval} (exact-match
 * accuracy with Wilson intervals).
 */
public final class EvalStage implements Stage {

    public static final String JSON = "eval.json";
    public static final String TABLE = "eval.md";
    public static final String SAMPLES = "samples.jsonl";

    @Override
    public Set<String> keys() {
        return StageKeys.of(EvalConfig.class);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("models", "prompts", "reward_model", "lexicon", "text");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("report", JSON, "table", TABLE, "samples", SAMPLES, "dir", ".");
    }

    @Override
    public void check(StageConfig c) {
        c.bind(EvalConfig.class);
    }

    @Override
    public StageOutcome run(StageConfig c) {
        EvalConfig cfg = c.bind(EvalConfig.class);
        if (cfg.arithmetic()) {
            ArithmeticReport a = ArithmeticEval.evaluate(cfg);
            write(a, c.dir());
            return StageOutcome.done(a.summary());
        }
        EvalReport r = evaluate(cfg);
        write(r, c.dir());
        StringBuilder sb = new StringBuilder("eval:");
        for (ModelMetrics m : r.models()) {
            if (!m.model().equals(r.baseline()) && m.winRate() != null) {
                sb.append(String.format(Locale.ROOT, " %s %.1f%% win vs %s (KL %.2f%s)", m.model(), 100 * m.winRate(),
                        r.baseline(), m.kl(), m.grammatical() == null ? ""
                                : String.format(Locale.ROOT, ", %.1f%% grammatical", 100 * m.grammatical())));
            }
        }
        return StageOutcome.done(sb.toString());
    }

    /** Loads the models, prompts and texts the config names and measures them. */
    public static EvalReport evaluate(EvalConfig cfg) {
        Path prompts = Path.of(cfg.prompts());
        if (!Files.isRegularFile(prompts)) {
            throw new UserInputException("prompts: " + prompts + ": no such file");
        }
        List<List<Message>> ps = DatasetLoader.load(prompts, LoadOptions.defaults().withPromptsOnly(true))
                .examples().stream().map(Example::prompt).toList();
        Lexicon lex = Lexicon.resolve(cfg.lexicon() == null ? null : Path.of(cfg.lexicon()));
        List<String> texts = new ArrayList<>(cfg.sentiment()
                ? ModelEval.heldoutSentences(lex, cfg.seed(), cfg.heldoutSentences()) : List.of());
        if (cfg.text() != null) {
            texts.addAll(lines(Path.of(cfg.text())));
        }
        var device = Devices.resolve(cfg.device());
        Map<String, ModelBundle> models = new LinkedHashMap<>();
        RewardBundle rm = null;
        try {
            for (Map.Entry<String, String> e : cfg.models().entrySet()) {
                models.put(e.getKey(), ModelBundle.load(Path.of(e.getValue()), device, null));
            }
            rm = cfg.rewardModel() == null ? null : RewardBundle.load(Path.of(cfg.rewardModel()), device);
            return ModelEval.evaluate(models, rm, ps, texts, lex, cfg);
        } finally {
            models.values().forEach(ModelBundle::close);
            if (rm != null) {
                rm.close();
            }
        }
    }

    /** eval.json, eval.md and samples.jsonl in {@code dir}. */
    public static void write(EvalReport r, Path dir) {
        Json.write(dir.resolve(JSON), r);
        AtomicFiles.writeString(dir.resolve(TABLE), r.table());
        StringBuilder sb = new StringBuilder();
        r.samples().forEach(s -> sb.append(Json.line(s)).append('\n'));
        AtomicFiles.writeString(dir.resolve(SAMPLES), sb.toString());
    }

    /** eval.json, eval.md and samples.jsonl of the arithmetic task in {@code dir}. */
    public static void write(ArithmeticReport r, Path dir) {
        Json.write(dir.resolve(JSON), r);
        AtomicFiles.writeString(dir.resolve(TABLE), r.table());
        StringBuilder sb = new StringBuilder();
        r.samples().forEach(s -> sb.append(Json.line(s)).append('\n'));
        AtomicFiles.writeString(dir.resolve(SAMPLES), sb.toString());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UserInputException("text: " + file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
