package dev.align4j.bench.killresume;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code align4j} command running in a child JVM ({@code java -cp CLASSPATH dev.align4j.cli.Main
 * ARGS}), with its stdout and stderr merged into a log file and watched line by line: every
 * {@code step N/TOTAL} line the training commands print (one per step when stdout is not a terminal)
 * is noted with the time it was read, so a caller can wait for step N and then kill the child.
 */
public final class Child {

    /** The CLI's entry point, started by name: the harness needs the class path, not the class. */
    public static final String MAIN = "dev.align4j.cli.Main";

    private static final Pattern STEP = Pattern.compile("^step (\\d+)/\\d+\\b");

    /**
     * How to start a child JVM.
     *
     * @param java the {@code java} executable
     * @param classPath a class path holding {@value #MAIN} and everything it needs (the test class
     *     path, or {@code cli/target/align4j.jar})
     * @param jvmOptions options before {@code -cp} (heap, DJL thread counts)
     */
    public record Launcher(Path java, String classPath, List<String> jvmOptions) {

        /**
         * This JVM's {@code java} and class path, a 1 GB heap, DJL offline and one PyTorch thread
         * (each child is small; several may run on a shared machine).
         */
        public static Launcher current() {
            return new Launcher(Path.of(System.getProperty("java.home"), "bin", "java"),
                    System.getProperty("java.class.path"), List.of("-Xmx1g", "-XX:+UseSerialGC",
                            "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                            "-Dai.djl.pytorch.num_interop_threads=1"));
        }
    }

    private final Process process;
    private final List<String> args;
    private final Path log;
    private final long startNanos = System.nanoTime();
    private final List<long[]> steps = new ArrayList<>(); // {step, nanos since start}
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;

    private Child(Process process, List<String> args, Path log) {
        this.process = process;
        this.args = List.copyOf(args);
        this.log = log;
        this.reader = new Thread(this::pump, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code align4j ARGS} as a child; its output goes to {@code log} (replaced). */
    public static Child start(Launcher launcher, List<String> args, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.java().toString());
        cmd.addAll(launcher.jvmOptions());
        cmd.add("-cp");
        cmd.add(launcher.classPath());
        cmd.add(MAIN);
        cmd.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            return new Child(p, args, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                w.write(line);
                w.write('\n');
                w.flush();
                Matcher m = STEP.matcher(line);
                synchronized (this) {
                    output.append(line).append('\n');
                    if (m.find()) {
                        steps.add(new long[] {Long.parseLong(m.group(1)), System.nanoTime() - startNanos});
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                output.append("(output lost: ").append(e.getMessage()).append(")\n");
            }
        } finally {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** The arguments after {@code align4j}. */
    public List<String> args() {
        return args;
    }

    /** The highest step printed so far, 0 if none. */
    public synchronized long lastStep() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1)[0];
    }

    /**
     * Mean milliseconds between consecutive step lines (NaN with fewer than two), read once the
     * child has exited.
     */
    public synchronized double meanStepMillis() {
        if (steps.size() < 2) {
            return Double.NaN;
        }
        long[] a = steps.get(0);
        long[] b = steps.get(steps.size() - 1);
        return (b[1] - a[1]) / 1e6 / (b[0] - a[0]);
    }

    /**
     * Waits until the child has printed step {@code n} or a later one; returns false if it ended
     * (or the timeout passed) first.
     */
    public synchronized boolean awaitStep(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastStep() < n) {
            long left = deadline - System.nanoTime();
            if (!reader.isAlive() || left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(50, left / 1_000_000)));
        }
        return true;
    }

    /** True while the process runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /**
     * {@code kill -9}: the JVM gets no chance to react. Sent through the {@link ProcessHandle}:
     * {@link Process#destroyForcibly()} would also close our end of the child's output.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /**
     * SIGTERM (on Linux, what {@link Process#destroy()} sends; sent through the {@link ProcessHandle},
     * which leaves the child's output open to read): the CLI's signal handler decides what happens.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Waits for the process to end and for its output to be read; returns the exit code, or -1
     * after killing it when {@code timeout} passed.
     */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            reader.join(5000);
            return -1;
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Everything the child printed so far (stdout and stderr merged). */
    public synchronized String output() {
        return output.toString();
    }

    /** The last {@code chars} characters of {@link #output()}, for failure messages. */
    public String tail(int chars) {
        String s = output();
        return s.substring(Math.max(0, s.length() - chars));
    }

    /** The log file. */
    public Path log() {
        return log;
    }
}
