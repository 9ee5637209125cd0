package dev.align4j.bench;

import dev.align4j.core.stats.Stats;
import dev.align4j.core.train.TrainingListener;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final List<Map<String, Long>> series = new ArrayList<>();

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
        if (step % 100 == 0) {
            series.add(memorySample(step));
        }
        return true;
    }

    /**
     * RSS next to the JVM's own committed memory (heap, and non-heap: metaspace and JIT code
     * cache), so growth can be split into JVM (bounded by -Xmx and the code cache size) and native
     * (libtorch, malloc) parts: native_mb = rss - heap_committed - non_heap_committed, roughly (thread
     * stacks and the JVM's own malloc are in it too).
     */
    private static Map<String, Long> memorySample(long step) {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long heap = mx.getHeapMemoryUsage().getCommitted() >> 20;
        long nonHeap = mx.getNonHeapMemoryUsage().getCommitted() >> 20;
        long rss = rssMb();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("rss_mb", rss);
        m.put("heap_committed_mb", heap);
        m.put("non_heap_committed_mb", nonHeap);
        m.put("native_mb", rss - heap - nonHeap);
        return m;
    }

    /** One sample every 100 steps (see {@link #memorySample}). */
    List<Map<String, Long>> memorySeries() {
        return series;
    }

    /**
     * RSS growth in MB from the sample at the middle of the run to the last one: after warm-up a
     * leak keeps growing here, a warm-up does not. Null with fewer than 3 samples.
     */
    Long rssGrowthSecondHalf() {
        if (series.size() < 3) {
            return null;
        }
        return series.get(series.size() - 1).get("rss_mb") - series.get(series.size() / 2).get("rss_mb");
    }

    /** Median step time over the steps after the first {@code warm}. */
    double medianSeconds(int warm) {
        double[] s = seconds.stream().skip(warm).mapToDouble(Double::doubleValue).toArray();
        if (s.length == 0) {
            throw new IllegalStateException("no timed steps (steps must exceed warm)");
        }
        return Stats.median(s);
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
