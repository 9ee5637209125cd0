package dev.align4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Child-JVM entry point for {@link DeterminismTest}: runs the align4j commands listed in a file (one
 * per line, arguments separated by tabs) in this JVM, one after another, while a daemon thread calls
 * {@code System.gc()} every few milliseconds. The GC pressure makes the collector free anything
 * that is no longer referenced from Java at once, so native memory still in use by libtorch but
 * owned by a dead Java object (a direct buffer behind {@code from_blob}) is freed mid-step, and
 * glibc's {@code MALLOC_PERTURB_} (set by the parent) then changes what such a read returns.
 *
 * <p>Exit code: 0 when every command exited 0, else the first non-zero code.
 */
public final class DeterminismChild {

    private DeterminismChild() {
    }

    public static void main(String[] args) throws Exception {
        long periodMs = Long.getLong("align4j.gc_stress_ms", 5);
        Thread stress = new Thread(() -> {
            while (true) {
                System.gc();
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-stress");
        stress.setDaemon(true);
        if (periodMs > 0) {
            stress.start();
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        int code = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            code = Main.newCommandLine().execute(line.split("\t"));
            if (code != 0) {
                System.err.println("command failed with exit " + code + ": " + line.replace('\t', ' '));
                break;
            }
        }
        System.exit(code);
    }
}
