package dev.align4j.core.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sinks of one run, called in order. {@link #standard} is the one place that decides which
 * sinks every run gets: adding one (e.g. TensorBoard event files) is one line there.
 */
public final class MetricsSinks implements MetricsSink {

    private final List<MetricsSink> sinks = new ArrayList<>();

    /**
     * metrics.jsonl in {@code runDir}, the console progress bar (when there is a terminal),
     * TensorBoard event files in {@code runDir} ({@link TensorBoardSink}), then
     * {@code extra} (sinks a caller added with {@link PreparedRun#addSink}).
     *
     * @param total planned steps, for the progress bar
     * @param progressKey the metric the bar shows ("loss"; PPO "score")
     */
    public static MetricsSinks standard(Path runDir, long total, String progressKey, List<MetricsSink> extra) {
        MetricsSinks s = new MetricsSinks();
        s.add(new JsonlSink(runDir.resolve(JsonlSink.FILE)));
        s.add(ProgressSink.forConsole(total, progressKey));
        s.add(new TensorBoardSink(runDir));
        extra.forEach(s::add);
        return s;
    }

    /** Adds {@code sink} (null is ignored). */
    public MetricsSinks add(MetricsSink sink) {
        if (sink != null) {
            sinks.add(sink);
        }
        return this;
    }

    @Override
    public void log(long step, Map<String, Double> metrics) {
        sinks.forEach(s -> s.log(step, metrics));
    }

    @Override
    public void step(long step, Map<String, Double> metrics) {
        sinks.forEach(s -> s.step(step, metrics));
    }

    @Override
    public void sync() {
        sinks.forEach(MetricsSink::sync);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (MetricsSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
