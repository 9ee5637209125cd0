package dev.align4j.pipelines.bench;

import dev.align4j.core.train.TrainingListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Times optimizer steps from inside the real training loop: the gap between consecutive
 * {@link TrainingListener#onStep} calls is one whole step (batch, forward, backward, clip, AdamW,
 * metrics bookkeeping). Also samples the process's resident memory at chosen steps.
 */
final class StepTimer implements TrainingListener {

    private final List<Double> seconds = new ArrayList<>();
    private final long[] rssAtSteps;
    private final long[] rssMb;
    private long last = System.nanoTime();

    StepTimer(long... rssAtSteps) {
        this.rssAtSteps = rssAtSteps;
        this.rssMb = new long[rssAtSteps.length];
    }

    /** Resets the clock (call right before the engine starts). */
    void start() {
        last = System.nanoTime();
    }

    @Override
    public boolean onStep(long step, Map<String, Double> metrics) {
        long now = System.nanoTime();
        seconds.add((now - last) / 1e9);
        last = now;
        for (int i = 0; i < rssAtSteps.length; i++) {
            if (rssAtSteps[i] == step) {
                rssMb[i] = rssMb();
            }
        }
        return true;
    }

    /** Median step time over the steps after the first {@code warm}. */
    double medianSeconds(int warm) {
        double[] s = seconds.stream().skip(warm).mapToDouble(Double::doubleValue).toArray();
        if (s.length == 0) {
            throw new IllegalStateException("no timed steps (steps must exceed warm)");
        }
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    long[] rssMbAtSteps() {
        return rssMb;
    }

    /** Current resident set size in MB (Linux /proc), or -1 elsewhere. */
    static long rssMb() {
        return procStatusMb("VmRSS:");
    }

    /** Peak resident set size in MB (Linux /proc), or -1 elsewhere. */
    static long peakRssMb() {
        return procStatusMb("VmHWM:");
    }

    private static long procStatusMb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
