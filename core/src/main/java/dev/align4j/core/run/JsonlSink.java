package dev.align4j.core.run;

import dev.align4j.core.train.MetricsLog;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code metrics.jsonl}: one {@code {"step": N, ...}} object per logged line ({@link MetricsLog}). */
public final class JsonlSink implements MetricsSink {

    /** The file name inside the run folder. */
    public static final String FILE = "metrics.jsonl";

    private final MetricsLog log;

    public JsonlSink(Path file) {
        this.log = new MetricsLog(file);
    }

    @Override
    public void log(long step, Map<String, Double> metrics) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.putAll(metrics);
        log.append(line);
    }

    @Override
    public void sync() {
        log.sync();
    }

    @Override
    public void close() {
        log.close();
    }
}
