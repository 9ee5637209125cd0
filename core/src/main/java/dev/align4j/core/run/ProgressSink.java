package dev.align4j.core.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A one-line progress bar on stderr, redrawn with {@code \r}, only when a terminal is attached
 * ({@link System#console()} != null): logs and CI output stay clean. Redraws at most 4 times a
 * second; shows step/total, loss (PPO: score), learning rate and steps per second.
 */
public final class ProgressSink implements MetricsSink {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private final long total;
    private final String key;
    private final long startNanos = System.nanoTime();
    private long firstStep = -1;
    private long lastDrawNanos;
    private boolean drawn;

    private ProgressSink(PrintStream out, long total, String key) {
        this.out = out;
        this.total = total;
        this.key = key;
    }

    /** A bar on stderr showing metric {@code key} if there is a console, else null. */
    public static ProgressSink forConsole(long total, String key) {
        return System.console() == null ? null : new ProgressSink(System.err, total, key);
    }

    @Override
    public void step(long step, Map<String, Double> m) {
        if (firstStep < 0) {
            firstStep = step - 1;
        }
        long now = System.nanoTime();
        if (step < total && now - lastDrawNanos < 250_000_000L) {
            return;
        }
        lastDrawNanos = now;
        double rate = (step - firstStep) / Math.max(1e-9, (now - startNanos) / 1e9);
        int filled = (int) (WIDTH * Math.min(1.0, (double) step / Math.max(1, total)));
        String bar = "=".repeat(filled) + " ".repeat(WIDTH - filled);
        out.print(String.format(Locale.ROOT, "\r[%s] %d/%d %s %.4f lr %.2e %.2f it/s ", bar, step, total, key,
                m.getOrDefault(key, Double.NaN), m.getOrDefault("lr", Double.NaN), rate));
        out.flush();
        drawn = true;
    }

    @Override
    public void log(long step, Map<String, Double> metrics) {
    }

    @Override
    public void close() {
        if (drawn) {
            out.println();
        }
    }
}
