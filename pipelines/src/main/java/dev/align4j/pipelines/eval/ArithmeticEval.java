package dev.align4j.pipelines.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.FinishReason;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.run.SamplesFile;
import dev.align4j.core.stats.Stats;
import dev.align4j.core.train.Devices;
import dev.align4j.datasets.arithmetic.ArithmeticJudge;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.JsonRecords;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic task's evaluation ({@code task: arithmetic}): every model answers the first
 * {@code n} held-out prompts greedily (temperature 0) and, when {@code temperature > 0}, once more
 * sampled at that temperature with the same per-prompt seeds for every model
 * ({@link SamplingParams#rowSeed}); {@link ArithmeticJudge} marks each answer, and the accuracy comes
 * with its Wilson 95 % interval. Prompts need an {@code answer} field (what {@code data synth
 * arithmetic} writes).
 */
public final class ArithmeticEval {

    private static final int BATCH = 64;
    private static final double CONFIDENCE = 0.95;

    /** Prompts with their reference answers. */
    public record Problems(List<List<Message>> prompts, List<String> answers) {
    }

    private ArithmeticEval() {
    }

    /** Loads the models and prompts {@code cfg} names and evaluates them. */
    public static ArithmeticReport evaluate(EvalConfig cfg) {
        Problems p = load(Path.of(cfg.prompts()), cfg.n());
        var device = Devices.resolve(cfg.device());
        Map<String, ModelBundle> models = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : cfg.models().entrySet()) {
                models.put(e.getKey(), ModelBundle.load(Path.of(e.getValue()), device, null));
            }
            return evaluate(models, p, cfg);
        } finally {
            models.values().forEach(ModelBundle::close);
        }
    }

    /** The first {@code n} prompts of {@code file} and their answers; a prompt without an answer is an error. */
    public static Problems load(Path file, int n) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("prompts: " + file + ": no such file");
        }
        Map<Long, String> byLine = new HashMap<>();
        JsonRecords.read(file, raw -> {
            JsonNode a = raw.node() == null ? null : raw.node().get("answer");
            if (a != null && (a.isTextual() || a.isNumber())) {
                byLine.put(raw.source().line(), a.asText());
            }
        });
        List<List<Message>> prompts = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (Example e : DatasetLoader.load(file, LoadOptions.defaults().withPromptsOnly(true)).examples()) {
            if (prompts.size() == n) {
                break;
            }
            String a = byLine.get(e.source().line());
            if (a == null) {
                throw new UserInputException(file + ":" + e.source().line() + ": answer: missing; task arithmetic "
                        + "needs an `answer` field in every prompt record");
            }
            prompts.add(e.prompt());
            answers.add(a);
        }
        if (prompts.isEmpty()) {
            throw new UserInputException("prompts: " + file + " holds no prompts");
        }
        return new Problems(prompts, answers);
    }

    /** Measures loaded models (in table order) on {@code p}. */
    public static ArithmeticReport evaluate(Map<String, ModelBundle> models, Problems p, EvalConfig c) {
        int n = p.prompts().size();
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = SamplingParams.rowSeed(c.seed(), i);
        }
        ArithmeticJudge judge = new ArithmeticJudge();
        boolean sampled = c.temperature() > 0;
        List<ArithmeticReport.Row> rows = new ArrayList<>();
        Map<String, List<String>> greedyTexts = new LinkedHashMap<>();
        for (Map.Entry<String, ModelBundle> e : models.entrySet()) {
            ModelBundle b = e.getValue();
            List<int[]> ids = p.prompts().stream()
                    .map(m -> SamplesFile.promptIds(b.tokenizer(), b.template().renderPrompt(m), b.template().bos()))
                    .toList();
            List<Generation> greedy = generate(b, ids, seeds, 0, c);
            List<Generation> sample = sampled ? generate(b, ids, seeds, c.temperature(), c) : null;
            List<String> texts = greedy.stream().map(Generation::text).toList();
            greedyTexts.put(e.getKey(), texts);
            rows.add(new ArithmeticReport.Row(e.getKey(), c.models().get(e.getKey()),
                    accuracy(judge, texts, p.answers()),
                    sample == null ? null : accuracy(judge, sample.stream().map(Generation::text).toList(), p.answers()),
                    greedy.stream().mapToInt(Generation::length).average().orElse(0),
                    (double) greedy.stream().filter(g -> g.finishReason() == FinishReason.EOS).count() / n));
        }
        List<Map<String, String>> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("prompt", p.prompts().get(i).get(p.prompts().get(i).size() - 1).content());
            s.put("answer", p.answers().get(i));
            for (Map.Entry<String, List<String>> e : greedyTexts.entrySet()) {
                s.put(e.getKey(), e.getValue().get(i));
            }
            samples.add(s);
        }
        return new ArithmeticReport(n, c.seed(), sampled ? c.temperature() : null, c.prompts(), rows, samples);
    }

    private static ArithmeticReport.Accuracy accuracy(ArithmeticJudge judge, List<String> texts, List<String> answers) {
        int k = judge.correctCount(texts, answers);
        Stats.Interval ci = Stats.wilson(k, texts.size(), CONFIDENCE);
        return new ArithmeticReport.Accuracy(k, texts.size(), (double) k / texts.size(), ci.lower(), ci.upper());
    }

    private static List<Generation> generate(ModelBundle b, List<int[]> ids, long[] seeds, double temperature,
            EvalConfig c) {
        SamplingParams params = SamplingParams.builder().temperature((float) temperature).maxNewTokens(c.maxNewTokens())
                .eosTokenId(b.tokenizer().eosId()).seed(c.seed()).build();
        Generator gen = new Generator(b.model(), b.tokenizer());
        List<Generation> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            int to = Math.min(ids.size(), from + BATCH);
            out.addAll(gen.generate(ids.subList(from, to), Arrays.copyOfRange(seeds, from, to), params, null));
        }
        return out;
    }
}
