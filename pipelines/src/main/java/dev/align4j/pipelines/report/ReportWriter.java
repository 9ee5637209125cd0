package dev.align4j.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.pipelines.Pipeline;
import dev.align4j.pipelines.PipelineLock;
import dev.align4j.pipelines.eval.ArithmeticReport;
import dev.align4j.pipelines.eval.EvalReport;
import dev.align4j.pipelines.eval.ModelMetrics;
import dev.align4j.pipelines.stage.EvalStage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html} for a pipeline folder (every stage in the lock file) or for any single run
 * folder: each run's curves from metrics.jsonl, the eval table, samples side by side, the resolved
 * config and provenance. Self-contained: the charts are embedded PNGs, there are no scripts or links.
 */
public final class ReportWriter {

    public static final String FILE = "report.html";
    private static final int SAMPLE_ROWS = 12;

    private ReportWriter() {
    }

    /** Writes {@code dir/report.html} and returns its path. */
    public static Path write(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException(dir + ": not a run folder");
        }
        Path lockFile = dir.resolve(Pipeline.LOCK_FILE);
        StringBuilder body = new StringBuilder();
        String title;
        if (Files.isRegularFile(lockFile)) {
            PipelineLock lock = PipelineLock.read(lockFile, dir.getFileName().toString());
            title = "pipeline " + lock.pipeline();
            body.append("<h2>stages</h2>").append(stagesTable(lock));
            for (PipelineLock.Entry e : lock.stages()) {
                body.append(run(e.name() + " (" + e.kind() + ")", dir.resolve(e.name())));
            }
        } else if (Files.isRegularFile(dir.resolve("metrics.jsonl")) || Files.isRegularFile(dir.resolve(EvalStage.JSON))) {
            title = "run " + dir.getFileName();
            body.append(run(dir.getFileName().toString(), dir));
        } else {
            throw new UserInputException(dir + ": neither a pipeline folder (" + Pipeline.LOCK_FILE
                    + ") nor a run folder (metrics.jsonl or " + EvalStage.JSON + ")");
        }
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Html.esc(title)
                + "</title><style>" + Html.STYLE + "</style></head><body>\n<h1>align4j: " + Html.esc(title) + "</h1>\n"
                + "<p>folder " + Html.esc(dir.toAbsolutePath().normalize().toString()) + "</p>\n" + body
                + "</body></html>\n";
        Path out = dir.resolve(FILE);
        AtomicFiles.writeString(out, html);
        return out;
    }

    private static String stagesTable(PipelineLock lock) {
        List<List<String>> rows = new ArrayList<>();
        for (PipelineLock.Entry e : lock.stages()) {
            rows.add(List.of(e.name(), e.kind(), Long.toString(e.steps()), String.format(Locale.ROOT, "%.1f", e.seconds()),
                    e.summary(), e.configHash().substring(0, 12)));
        }
        return Html.table(List.of("stage", "kind", "steps", "seconds", "what", "config hash"), rows);
    }

    /** One run folder's section. */
    private static String run(String name, Path dir) {
        StringBuilder sb = new StringBuilder("<h2>").append(Html.esc(name)).append("</h2>\n");
        List<Charts.Chart> charts = Charts.draw(name, MetricsSeries.read(dir.resolve("metrics.jsonl")));
        if (!charts.isEmpty()) {
            sb.append("<div class=\"charts\">");
            charts.forEach(c -> sb.append("<img alt=\"").append(Html.esc(c.title())).append("\" src=\"data:image/png;base64,")
                    .append(c.pngBase64()).append("\">"));
            sb.append("</div>\n");
        }
        Path eval = dir.resolve(EvalStage.JSON);
        if (Files.isRegularFile(eval)) {
            JsonNode tree = Json.read(eval, JsonNode.class);
            sb.append(ArithmeticReport.TASK.equals(tree.path("task").asText())
                    ? arithmeticSection(Json.read(eval, ArithmeticReport.class)) : evalSection(Json.read(eval, EvalReport.class)));
        } else {
            sb.append(samples(dir.resolve("samples.jsonl")));
        }
        for (String f : List.of("config.json", "run.json", "model/provenance.json")) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                sb.append(Html.pre(f, read(p)));
            }
        }
        return sb.toString();
    }

    private static String evalSection(EvalReport r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<h3>evaluation: %d held-out prompts, seed %d, win rate vs %s, KL to %s</h3>\n", r.n(), r.seed(),
                Html.esc(r.baseline()), Html.esc(r.reference())));
        List<List<String>> rows = new ArrayList<>();
        for (ModelMetrics m : r.models()) {
            rows.add(List.of(m.model(), num(m.trueReward(), "%.3f"), num(m.rmScore(), "%.3f"),
                    m.winRate() == null ? "-" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * m.winRate(),
                            100 * m.winLow(), 100 * m.winHigh()),
                    num(m.kl(), "%.2f"), String.format(Locale.ROOT, "%.1f", m.meanLength()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * m.eosRate()),
                    String.format(Locale.ROOT, "%.3f", m.distinctTokens()),
                    m.grammatical() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * m.grammatical()),
                    num(m.perplexity(), "%.2f")));
        }
        sb.append(Html.table(List.of("model", "true reward", "RM score", "win rate [95% CI]", "KL", "length", "EOS",
                "distinct", "grammatical", "perplexity"), rows));
        if (r.grammaticalCeiling() != null) {
            sb.append(String.format(Locale.ROOT, "<p>ceiling: %.1f%% is the best win rate vs %s with every completion "
                    + "in the task's grammar</p>\n", 100 * r.grammaticalCeiling(), Html.esc(r.baseline())));
        }
        List<Map<String, String>> s = r.samples().subList(0, Math.min(SAMPLE_ROWS, r.samples().size()));
        if (!s.isEmpty()) {
            List<String> header = new ArrayList<>(List.of("prompt")); // then the models in table order
            r.models().forEach(m -> header.add(m.model()));
            sb.append("<h3>samples side by side (same prompt, same seed)</h3>\n")
                    .append(Html.table(header, s.stream().map(m -> header.stream().map(m::get).toList()).toList()));
        }
        return sb.toString();
    }

    private static String arithmeticSection(ArithmeticReport r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<h3>evaluation: %d held-out arithmetic prompts, seed %d, exact-match accuracy [95%% Wilson CI]</h3>\n",
                r.n(), r.seed()));
        List<List<String>> rows = new ArrayList<>();
        for (ArithmeticReport.Row m : r.models()) {
            rows.add(List.of(m.model(), m.greedy().cell(), m.sampled() == null ? "-" : m.sampled().cell(),
                    String.format(Locale.ROOT, "%.1f", m.meanLength()), String.format(Locale.ROOT, "%.1f%%", 100 * m.eosRate())));
        }
        String t = r.temperature() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.temperature());
        sb.append(Html.table(List.of("model", "greedy", "sampled (T " + t + ")", "length", "EOS"), rows));
        List<Map<String, String>> s = r.samples().subList(0, Math.min(SAMPLE_ROWS, r.samples().size()));
        if (!s.isEmpty()) {
            List<String> header = new ArrayList<>(List.of("prompt", "answer"));
            r.models().forEach(m -> header.add(m.model()));
            sb.append("<h3>greedy answers side by side</h3>\n")
                    .append(Html.table(header, s.stream().map(m -> header.stream().map(m::get).toList()).toList()));
        }
        return sb.toString();
    }

    /** The first rows of a run's samples.jsonl, one column per text field. */
    private static String samples(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String line : read(file).split("\n")) {
            try {
                JsonNode n = Json.mapper().readTree(line);
                if (n != null && n.isObject()) {
                    rows.add(n);
                }
            } catch (IOException e) {
                // a torn last line
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        List<JsonNode> last = rows.subList(Math.max(0, rows.size() - SAMPLE_ROWS), rows.size());
        List<String> header = new ArrayList<>();
        last.get(0).properties().forEach(e -> header.add(e.getKey()));
        List<List<String>> cells = last.stream().map(n -> header.stream()
                .map(h -> n.path(h).isValueNode() ? n.path(h).asText() : n.path(h).toString()).toList()).toList();
        return "<h3>samples (last " + last.size() + " of " + rows.size() + ")</h3>\n" + Html.table(header, cells);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e.getMessage() + ")";
        }
    }

    private static String num(Double v, String fmt) {
        return v == null ? "-" : String.format(Locale.ROOT, fmt, v);
    }
}
