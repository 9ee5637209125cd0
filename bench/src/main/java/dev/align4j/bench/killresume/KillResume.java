package dev.align4j.bench.killresume;

import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Hashing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The kill-resume harness: a run is a function of config, data and seed, interrupted or not.
 *
 * <p>For each method it first runs the command once without interruption (the baseline, also
 * measuring the time between step lines). A trial then runs the same command into a fresh folder and
 * {@code kill -9}s the child at a moment drawn from a {@link Random} seeded with the trial's seed: a
 * step at or after the first checkpoint interval and a delay of up to two step times after that step's
 * line, so kills land in a step, in a checkpoint write or in the final export. One trial in two
 * kills twice (the second time in the resumed run). Each killed run is followed by the same command
 * with {@code --resume}; if the kill came before any complete checkpoint ({@code --resume} then
 * exits 2 with "no complete checkpoint"), by the command without it, as a user would. Once a run
 * finishes, the final bytes ({@code model/} and {@code adapter/} safetensors, {@code samples.jsonl})
 * must equal the baseline's.
 */
public final class KillResume {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_KILLS = 2;

    /** One kill: after the child prints step {@code step}, wait {@code fraction} x two step times. */
    record Kill(long step, double fraction) {
    }

    /** The uninterrupted run of a method: its final bytes by relative path, and ms per step. */
    public record Baseline(Map<String, String> hashes, double stepMillis) {
    }

    /**
     * What one trial did.
     *
     * @param events each kill and restart, in order, for the report line
     * @param runs child JVMs started (the killed ones and the last)
     * @param kills how many of them were killed
     * @param differing files whose bytes differ from the baseline's, or are on one side only
     */
    public record Trial(KillResumeMethod method, long seed, List<String> events, int runs, int kills,
            List<String> differing, double seconds) {

        public boolean identical() {
            return differing.isEmpty();
        }

        /** One line for the report. */
        public String line() {
            return String.format(Locale.ROOT, "%-6s seed %-4d %s; %d runs; %s (%.1f s)", method.label(), seed,
                    String.join(", ", events), runs, identical() ? "identical" : "DIFFERENT: " + differing,
                    seconds);
        }
    }

    private final Child.Launcher launcher;
    private final Path work;
    private final Fixtures fixtures;
    private final Map<KillResumeMethod, Baseline> baselines = new EnumMap<>(KillResumeMethod.class);

    private KillResume(Child.Launcher launcher, Path work, Fixtures fixtures) {
        this.launcher = launcher;
        this.work = work;
        this.fixtures = fixtures;
    }

    /** Makes the fixtures in {@code work/fixtures} (a reward model only if PPO is among {@code methods}). */
    public static KillResume prepare(Child.Launcher launcher, Path work, Set<KillResumeMethod> methods)
            throws InterruptedException {
        Fixtures f = Fixtures.prepare(launcher, work.resolve("fixtures"), methods.contains(KillResumeMethod.PPO));
        return new KillResume(launcher, work, f);
    }

    public Fixtures fixtures() {
        return fixtures;
    }

    /** The uninterrupted run of {@code method}, made on first use. */
    public synchronized Baseline baseline(KillResumeMethod method) throws InterruptedException {
        Baseline b = baselines.get(method);
        if (b == null) {
            Path out = fresh(work.resolve("baseline").resolve(method.label()));
            Child c = Child.start(launcher, method.args(fixtures, out, false), out.resolveSibling(method.label() + ".log"));
            int code = c.await(RUN_TIMEOUT);
            if (code != 0) {
                throw new IllegalStateException("the uninterrupted " + method.label() + " run failed (exit " + code
                        + "): align4j " + String.join(" ", c.args()) + "\n" + c.tail(3000));
            }
            Map<String, String> hashes = finalBytes(out);
            if (!hashes.containsKey("model/model.safetensors")) {
                throw new IllegalStateException("the uninterrupted " + method.label() + " run left no "
                        + out.resolve("model/model.safetensors"));
            }
            double ms = c.meanStepMillis();
            b = new Baseline(hashes, Double.isNaN(ms) ? 100 : ms);
            baselines.put(method, b);
        }
        return b;
    }

    /** The kills of trial {@code seed}, drawn from a RNG seeded with it (and the method). */
    static List<Kill> plan(KillResumeMethod method, long seed) {
        Random rng = new Random(seed * 1_000_003L + method.ordinal());
        int n = 1 + rng.nextInt(MAX_KILLS);
        List<Kill> kills = new ArrayList<>();
        long from = method.saveSteps();
        for (int i = 0; i < n; i++) {
            long step = from + rng.nextInt((int) (method.steps() - from + 1));
            kills.add(new Kill(step, rng.nextDouble()));
            from = step;
        }
        return kills;
    }

    /** Runs trial {@code seed} of {@code method} in {@code work/trials}; see the class comment. */
    public Trial trial(KillResumeMethod method, long seed) throws InterruptedException {
        Baseline base = baseline(method);
        long t0 = System.nanoTime();
        Path out = fresh(work.resolve("trials").resolve(method.label() + "-" + seed));
        List<Kill> plan = plan(method, seed);
        List<String> events = new ArrayList<>();
        boolean resume = false;
        int runs = 0;
        int kills = 0;
        while (true) {
            if (runs > 2 * plan.size() + 2) {
                throw new IllegalStateException(method.label() + " trial " + seed + " did not finish: " + events);
            }
            List<String> args = method.args(fixtures, out, resume);
            Child c = Child.start(launcher, args, out.resolveSibling(out.getFileName() + "-run" + runs + ".log"));
            runs++;
            Kill k = kills < plan.size() ? plan.get(kills) : null;
            long delay = k == null ? 0 : Math.round(k.fraction() * 2 * base.stepMillis());
            if (k != null && killAt(c, k.step(), delay)) {
                kills++;
                events.add("killed after step " + k.step() + " +" + delay + " ms");
                resume = true;
                continue;
            }
            int code = c.await(RUN_TIMEOUT);
            if (code == 2 && resume && c.output().contains("no complete checkpoint")) {
                // the kill came before the first checkpoint was complete: what a user does next
                events.add("no checkpoint yet, started again without --resume");
                resume = false;
                continue;
            }
            if (code != 0) {
                throw new IllegalStateException(method.label() + " trial " + seed + ": align4j "
                        + String.join(" ", args) + " exited " + code + " after " + events + "\n" + c.tail(3000));
            }
            if (k != null) {
                events.add("ended before the kill planned after step " + k.step() + " +" + delay + " ms");
            }
            break;
        }
        List<String> differing = differing(base.hashes(), finalBytes(out));
        return new Trial(method, seed, events, runs, kills, differing, (System.nanoTime() - t0) / 1e9);
    }

    /** Waits for step {@code step}, then {@code delayMs}, then kills; false if the child ended first. */
    private static boolean killAt(Child c, long step, long delayMs) throws InterruptedException {
        if (c.awaitStep(step, RUN_TIMEOUT) && delayMs > 0) {
            Thread.sleep(delayMs);
        }
        if (!c.alive()) {
            return false;
        }
        c.kill();
        c.await(Duration.ofMinutes(1));
        return true;
    }

    /**
     * SHA-256 of the files a finished run leaves for its user: {@code model/} and {@code adapter/}
     * safetensors and {@code samples.jsonl}, by path relative to {@code run}.
     */
    public static Map<String, String> finalBytes(Path run) {
        Map<String, String> out = new TreeMap<>();
        for (String sub : new String[] {"model", "adapter"}) {
            Path d = run.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(d)) {
                files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".safetensors"))
                        .forEach(f -> out.put(run.relativize(f).toString(), Hashing.sha256(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + d, e);
            }
        }
        Path samples = run.resolve("samples.jsonl");
        if (Files.isRegularFile(samples)) {
            out.put("samples.jsonl", Hashing.sha256(samples));
        }
        return out;
    }

    /** Files on either side whose hashes differ (or that one side lacks); empty when identical. */
    static List<String> differing(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(a.get(k), b.get(k))).toList();
    }

    private static Path fresh(Path dir) {
        AtomicFiles.deleteTree(dir);
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir.getParent(), e);
        }
        return dir;
    }
}
