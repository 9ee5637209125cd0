package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a session process (destroyForcibly: SIGKILL, no shutdown hooks, no close) right after each
 * of several labels reached the file, restarts it on the same files, and checks that the labels
 * that were written survive, none is duplicated, and each restart resumes at the first unlabelled
 * pair.
 */
class KillResumeTest {

    @TempDir
    Path tmp;

    private static final long SEED = 3;
    /** Generous bound on a child JVM's start plus one label; only reached when something is broken. */
    private static final long WAIT_MS = 120_000;

    private Process start(Path pairs, Path labels) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp, SessionMain.class.getName(),
                pairs.toString(), labels.toString(), "dora", Long.toString(SEED));
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        return pb.start();
    }

    private static void send(Process p, String keys) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write(keys.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits until {@code labels} holds {@code n} complete lines. */
    private static void awaitLines(Path labels, int n, Process p) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < end) {
            if (Files.exists(labels) && LabelLog.read(labels).entries().size() >= n) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the session exited with " + p.exitValue());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no label " + n + " after " + WAIT_MS + " ms");
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void killedAfterEachLabelItResumesWithoutLossOrDuplicates() throws Exception {
        Path pairs = Fixtures.pairs(tmp.resolve("pairs.jsonl"), 6);
        Path labels = tmp.resolve("labels.jsonl");
        String[] keys = {"1", "t", "2", "s"};
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < keys.length; k++) {
            Process p = start(pairs, labels);
            // a label and then a key of the next pair: the kill lands while the next screen is up
            send(p, keys[k] + "\n");
            awaitLines(labels, k + 1, p);
            kill(p);
            expected.add("p" + k);
            List<LabelEntry> e = LabelLog.read(labels).entries();
            assertThat(e).extracting(LabelEntry::pairId).containsExactlyElementsOf(expected);
        }
        // undo in a process that is then killed: the retraction is kept, the next run shows p3 again
        Process p = start(pairs, labels);
        send(p, "u\n");
        awaitLines(labels, keys.length + 1, p);
        kill(p);
        p = start(pairs, labels);
        send(p, "1\n");
        awaitLines(labels, keys.length + 2, p);
        kill(p);

        LabelSet s = LabelSet.of(LabelLog.read(labels).entries());
        assertThat(s.labels("dora")).extracting(LabelEntry::pairId).containsExactly("p0", "p1", "p2", "p3");
        assertThat(s.label("dora", "p0").orElseThrow().choice()).isEqualTo(Session.leftOf(SEED, "p0").choice());
        assertThat(s.label("dora", "p1").orElseThrow().choice()).isEqualTo(Choice.TIE);
        assertThat(s.label("dora", "p2").orElseThrow().choice())
                .isEqualTo(Session.leftOf(SEED, "p2").other().choice());
        assertThat(s.label("dora", "p3").orElseThrow().choice()).isEqualTo(Session.leftOf(SEED, "p3").choice());
        assertThat(s.retractions("dora")).isEqualTo(1);
        assertThat(LabelLog.read(labels).torn()).isFalse();
    }
}
