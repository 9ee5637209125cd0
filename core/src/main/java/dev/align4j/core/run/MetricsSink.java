package dev.align4j.core.run;

import java.util.Map;

/**
 * Where a run's numbers go. The lifecycle calls {@link #step} after every optimizer step (PPO:
 * iteration) with that step's values, and {@link #log} for every line it logs (averages over
 * logging_steps, eval results). metrics.jsonl ({@link JsonlSink}) and the console progress bar
 * ({@link ProgressSink}) are sinks; {@link MetricsSinks#standard} lists the default ones.
 */
public interface MetricsSink extends AutoCloseable {

    /** A logged line: {@code step} and metric name to value (names as TRL writes them). */
    void log(long step, Map<String, Double> metrics);

    /** Every optimizer step, before any logging; default: nothing. */
    default void step(long step, Map<String, Double> metrics) {
    }

    /** Forces what was logged to disk (at checkpoints); default: nothing. */
    default void sync() {
    }

    @Override
    default void close() {
    }
}
