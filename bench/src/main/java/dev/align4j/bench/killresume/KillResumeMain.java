package dev.align4j.bench.killresume;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code bench/kill-resume.sh [TRIALS] [WORK]}: {@code TRIALS} (default 12) kill-resume trials, round
 * robin over SFT, reward train, DPO and PPO (trial i uses seed i), each printed on one line, then
 * {@code kill-resume: K/N identical}. Exit 0 only when all N are identical. Work files go to
 * {@code WORK} (default {@code /tmp/align4j-kill-resume}); the fixtures there are reused.
 */
public final class KillResumeMain {

    private KillResumeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int trials = args.length > 0 ? parseTrials(args[0]) : 12;
        Path work = Path.of(args.length > 1 ? args[1] : "/tmp/align4j-kill-resume").toAbsolutePath();
        System.exit(run(trials, work, System.out));
    }

    private static int parseTrials(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("kill-resume: TRIALS must be a positive whole number, got '" + s + "'");
        System.exit(2);
        return 0;
    }

    /** Runs the trials, printing to {@code out}; returns the exit code. */
    static int run(int trials, Path work, PrintStream out) throws InterruptedException {
        KillResumeMethod[] all = KillResumeMethod.values();
        Set<KillResumeMethod> used = EnumSet.noneOf(KillResumeMethod.class);
        for (int i = 0; i < Math.min(trials, all.length); i++) {
            used.add(all[i]);
        }
        long t0 = System.nanoTime();
        KillResume harness = KillResume.prepare(Child.Launcher.current(), work, used);
        for (KillResumeMethod m : used) {
            KillResume.Baseline b = harness.baseline(m);
            out.printf(Locale.ROOT, "baseline %-6s %d steps, %.0f ms per step, %d files%n", m.label(), m.steps(),
                    b.stepMillis(), b.hashes().size());
        }
        int identical = 0;
        int killed = 0;
        for (int i = 1; i <= trials; i++) {
            KillResumeMethod m = all[(i - 1) % all.length];
            String line;
            try {
                KillResume.Trial t = harness.trial(m, i);
                identical += t.identical() ? 1 : 0;
                killed += t.kills();
                line = t.line();
            } catch (RuntimeException e) {
                line = m.label() + " seed " + i + " FAILED: " + e.getMessage();
            }
            out.printf(Locale.ROOT, "trial %d/%d  %s%n", i, trials, line);
            out.flush();
        }
        out.printf(Locale.ROOT, "%d kills in %d trials, %.0f s; work files in %s%n", killed, trials,
                (System.nanoTime() - t0) / 1e9, work);
        out.printf(Locale.ROOT, "kill-resume: %d/%d identical%n", identical, trials);
        return identical == trials ? 0 : 1;
    }
}
