package dev.align4j.core.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn with {@code \r}, only when a terminal is attached
 * ({@link System#console()} != null): logs and CI output stay clean. Redraws at most 4 times a
 * second.
 */
final class ProgressBar {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private final long total;
    private long lastDrawNanos;

    private ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = total;
    }

    /** A bar on stderr if there is a console, else null. */
    static ProgressBar forConsole(long total) {
        return System.console() == null ? null : new ProgressBar(System.err, total);
    }

    void update(long step, double loss, double lr, double stepsPerSecond) {
        long now = System.nanoTime();
        if (step < total && now - lastDrawNanos < 250_000_000L) {
            return;
        }
        lastDrawNanos = now;
        int filled = (int) (WIDTH * Math.min(1.0, (double) step / Math.max(1, total)));
        String bar = "=".repeat(filled) + " ".repeat(WIDTH - filled);
        out.print(String.format(Locale.ROOT, "\r[%s] %d/%d loss %.4f lr %.2e %.2f it/s ",
                bar, step, total, loss, lr, stepsPerSecond));
        out.flush();
    }

    void finish() {
        out.println();
    }
}
