package dev.align4j.bench;

import dev.align4j.core.UserInputException;
import dev.align4j.core.peft.PeftMethod;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code align4j bench --sweep}: the full SFT step through {@link dev.align4j.core.train.TrainingEngine}
 * (the same code path as the bench's {@code sft} section) at every point of a grid over width d,
 * depth L and context T, so cost can be read against the work: tokens/s, MFU (model FLOP/s over the
 * same-process fp32 matmul rate, measured once), peak RSS of the point, and bytes of weights +
 * AdamW state. Heads are d / head size (64 by default, GPT-2's), so only the per-head width stays
 * fixed. Each point is cheap: a small batch and a few steps (2 warm-up + 3 timed by default).
 */
public final class Sweep {

    private static final Logger LOG = LogManager.getLogger(Sweep.class);
    private static final String RESET = "/proc/self/clear_refs";

    /**
     * The grid and the per-point run shape.
     *
     * @param headSize d / heads at every point; each d must be a multiple of it
     */
    public record Grid(List<Integer> d, List<Integer> layers, List<Integer> context, int vocab, int batch,
            int headSize, int warm, int steps) {

        /** d 256, 512, 768 x layers 4, 8 x context 128, 256, 512; vocab 8192, batch 2, 2 + 3 steps. */
        public static Grid defaults() {
            return new Grid(List.of(256, 512, 768), List.of(4, 8), List.of(128, 256, 512), 8192, 2, 64, 2, 3);
        }

        public Grid {
            d = List.copyOf(d);
            layers = List.copyOf(layers);
            context = List.copyOf(context);
            for (int v : d) {
                if (v % headSize != 0) {
                    throw new UserInputException("--sweep-d: " + v + " is not a multiple of the head size "
                            + headSize + " (heads = d / " + headSize + ")");
                }
            }
            if (d.isEmpty() || layers.isEmpty() || context.isEmpty()) {
                throw new IllegalArgumentException("empty sweep axis");
            }
            if (batch < 1) {
                throw new UserInputException("--sweep-batch: expected a positive whole number, got " + batch);
            }
            if (vocab < 2 || steps < 1 || warm < 0 || headSize < 1) {
                throw new IllegalArgumentException("vocab >= 2, steps >= 1, warm >= 0, head size >= 1");
            }
        }

        /** Number of points. */
        public int size() {
            return d.size() * layers.size() * context.size();
        }
    }

    /**
     * Parses a flag's comma-separated list of positive whole numbers.
     *
     * @param flag the option name, for the message
     * @param spec null or blank gives {@code fallback}
     */
    public static List<Integer> parseList(String flag, String spec, List<Integer> fallback) {
        if (spec == null) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String p = part.trim();
            try {
                int n = Integer.parseInt(p);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                if (out.contains(n)) {
                    throw new UserInputException(flag + ": " + n + " is given twice");
                }
                out.add(n);
            } catch (NumberFormatException e) {
                throw new UserInputException(flag + ": expected comma-separated positive whole numbers, got '"
                        + p + "' in '" + spec + "'");
            }
        }
        return out;
    }

    private final Grid grid;
    private final String deviceSpec;
    private final Path scratch;

    /** @param deviceSpec auto, cpu, gpu or gpu:N */
    public Sweep(Grid grid, String deviceSpec, Path scratch) {
        this.grid = grid;
        this.deviceSpec = deviceSpec;
        this.scratch = scratch;
    }

    /** Runs every point (d outermost, then layers, then context) and returns the JSON report. */
    public Map<String, Object> run() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sweep_config", gridMap());
        Benchmark first = new Benchmark(shape(grid.d().get(0), grid.layers().get(0), grid.context().get(0)),
                deviceSpec, scratch);
        out.put("settings", first.settings());
        double gflops = first.matmulGflops();
        out.put("matmul_gflops", round(gflops, 1));
        out.put("peak_rss_note", resetPeak() ? "VmHWM, reset before each point" : "VmHWM of the process so far"
                + " (could not reset it through " + RESET + "): each point's peak includes the ones before");
        List<Map<String, Object>> points = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int d : grid.d()) {
            for (int l : grid.layers()) {
                for (int t : grid.context()) {
                    points.add(point(shape(d, l, t), gflops));
                    LOG.info("sweep {}/{}: d={} layers={} ctx={} done ({} s so far)", points.size(), grid.size(),
                            d, l, t, Math.round((System.nanoTime() - t0) / 1e9));
                }
            }
        }
        out.put("sweep", points);
        out.put("sweep_seconds", round((System.nanoTime() - t0) / 1e9, 1));
        LOG.info("bench sweep (matmul {} GFLOP/s):\n{}", round(gflops, 1), table(points));
        return out;
    }

    BenchShape shape(int d, int layers, int ctx) {
        return new BenchShape(grid.vocab(), ctx, layers, d, d / grid.headSize(), grid.batch(), grid.steps(),
                grid.warm());
    }

    private Map<String, Object> point(BenchShape s, double gflops) {
        boolean reset = resetPeak();
        long rssAtStart = StepTimer.rssMb();
        Benchmark bench = new Benchmark(s, deviceSpec, scratch);
        Map<String, Object> sft = bench.sft(PeftMethod.FULL, 0);
        double tps = (double) sft.get("tokens_per_s");
        double flopsPerToken = bench.flopsPerToken();
        double attention = 12.0 * s.layers() * s.ctx() * s.d();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("d", s.d());
        p.put("layers", s.layers());
        p.put("ctx", s.ctx());
        p.put("heads", s.heads());
        p.put("batch", s.batch());
        p.put("parameters", sft.get("trainable_parameters"));
        p.put("tokens_per_s", tps);
        p.put("step_ms", sft.get("step_ms"));
        p.put("model_flops_per_token", (long) flopsPerToken);
        p.put("attention_flops_share", significant(attention / flopsPerToken));
        p.put("mfu", significant(tps * flopsPerToken / (gflops * 1e9)));
        p.put("peak_rss_mb", StepTimer.peakRssMb());
        p.put("rss_mb_at_start", rssAtStart);
        p.put("peak_rss_reset", reset);
        p.put("weights_plus_optimizer_bytes", sft.get("weights_plus_optimizer_bytes"));
        p.put("load_average_1m", loadAverage());
        return p;
    }

    /**
     * Resets the kernel's peak-RSS mark (VmHWM) to the current RSS by writing 5 to
     * /proc/self/clear_refs (Linux 4.0+), so the next VmHWM read is this point's own peak.
     */
    static boolean resetPeak() {
        try {
            Files.writeString(Path.of(RESET), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * The 1-minute load average after the point (/proc/loadavg; -1 where there is none): above the
     * core count, other processes shared the cores and the point's speed says little.
     */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The readable table for the log: one row per point. */
    static String table(List<Map<String, Object>> points) {
        StringBuilder b = new StringBuilder(String.format("%5s %6s %5s %6s %9s %10s %9s %6s %6s %9s %10s %11s %5s%n",
                "d", "layers", "ctx", "heads", "params_M", "tokens/s", "step_ms", "mfu", "attn", "rss_start",
                "peak_rss", "w+opt_MB", "load"));
        for (Map<String, Object> p : points) {
            b.append(String.format("%5d %6d %5d %6d %9.1f %10.1f %9.1f %5.1f%% %5.1f%% %6d MB %7d MB %11.1f %5.2f%n",
                    p.get("d"), p.get("layers"), p.get("ctx"), p.get("heads"),
                    ((Number) p.get("parameters")).longValue() / 1e6, p.get("tokens_per_s"), p.get("step_ms"),
                    100 * (double) p.get("mfu"), 100 * (double) p.get("attention_flops_share"),
                    p.get("rss_mb_at_start"), p.get("peak_rss_mb"),
                    ((Number) p.get("weights_plus_optimizer_bytes")).longValue() / 1e6, p.get("load_average_1m")));
        }
        return b.toString();
    }

    private Map<String, Object> gridMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", grid.d());
        m.put("layers", grid.layers());
        m.put("ctx", grid.context());
        m.put("vocab", grid.vocab());
        m.put("batch", grid.batch());
        m.put("head_size", grid.headSize());
        m.put("warm", grid.warm());
        m.put("steps", grid.steps());
        return m;
    }

    /** Four significant digits (a tiny test shape's MFU is far below 1e-4). */
    private static double significant(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
