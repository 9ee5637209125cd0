package dev.align4j.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Averages of step values over a logging window, turned into one metrics.jsonl line. */
final class MetricsWindow {
    private final Map<String, Double> sums = new LinkedHashMap<>();
    private Map<String, Double> last = Map.of();
    private long steps;
    private long tokens;
    private long startNanos = System.nanoTime();

    void add(Map<String, Double> values, long stepTokens) {
        steps++;
        values.forEach((k, v) -> sums.merge(k, v, Double::sum));
        last = values;
        tokens = stepTokens < 0 || tokens < 0 ? -1 : tokens + stepTokens;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The log line (without its step) for the window ending now: lr and grad_norm of its last
     * step, averages of the rest; then resets.
     */
    Map<String, Double> flush(double epoch, double elapsed) {
        Map<String, Double> line = new LinkedHashMap<>();
        line.put("epoch", epoch);
        line.put("loss", sums.get("loss") / steps);
        line.put("lr", last.get("lr"));
        line.put("grad_norm", last.get("grad_norm"));
        if (last.containsKey("loss_scale")) { // fp16: the scale after the window's last step
            line.put("loss_scale", last.get("loss_scale"));
            line.put("skipped_steps", last.get("skipped_steps"));
        }
        if (tokens > 0) {
            line.put("tokens_per_s", tokens / Math.max(1e-9, seconds()));
        }
        line.put("elapsed_s", elapsed);
        sums.forEach((k, v) -> {
            if (!TrainingEngine.RESERVED.contains(k)) {
                line.put(k, v / steps);
            }
        });
        sums.clear();
        steps = 0;
        tokens = 0;
        startNanos = System.nanoTime();
        return line;
    }
}
