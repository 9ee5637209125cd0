package dev.align4j.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's metrics.jsonl as one series per metric: (step, value) pairs in file order. A line that is
 * not JSON (a run killed mid-write) is skipped; a step seen again after a resume replaces the earlier
 * point.
 */
public final class MetricsSeries {

    /** The points of one metric, by step. */
    public record Series(String name, List<Double> steps, List<Double> values) {
    }

    private MetricsSeries() {
    }

    public static Map<String, Series> read(Path metricsJsonl) {
        Map<String, TreeMap<Double, Double>> points = new TreeMap<>();
        if (!Files.isRegularFile(metricsJsonl)) {
            return Map.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(metricsJsonl, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metricsJsonl, e);
        }
        for (String line : lines) {
            JsonNode n;
            try {
                n = Json.mapper().readTree(line);
            } catch (IOException e) {
                continue;
            }
            if (n == null || !n.isObject() || !n.path("step").isNumber()) {
                continue;
            }
            double step = n.get("step").asDouble();
            n.properties().forEach(e -> {
                if (e.getValue().isNumber() && !e.getKey().equals("step") && Double.isFinite(e.getValue().asDouble())) {
                    points.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(step, e.getValue().asDouble());
                }
            });
        }
        Map<String, Series> out = new TreeMap<>();
        points.forEach((k, v) -> out.put(k, new Series(k, new ArrayList<>(v.keySet()), new ArrayList<>(v.values()))));
        return out;
    }
}
