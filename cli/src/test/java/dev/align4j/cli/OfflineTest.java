package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.Offline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing is fetched at run time: the CLI forces DJL's offline mode before any command (and so
 * DJL's Engine) loads, even against {@code -Dai.djl.offline=false}, and refuses an environment
 * ({@code DJL_OFFLINE=false}) that DJL would obey over the property.
 */
class OfflineTest {

    private record Child(int code, String output) {}

    /** {@code align4j info --no-engine} in a fresh JVM started with {@code -Dai.djl.offline=false}. */
    private static Child run(String djlOfflineEnv) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-Dai.djl.offline=false",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "info", "--no-engine"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(Offline.ENV);
        if (djlOfflineEnv != null) {
            pb.environment().put(Offline.ENV, djlOfflineEnv);
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Child(p.exitValue(), output);
    }

    @Test
    void cliForcesOfflineModeOverACommandLineProperty() throws Exception {
        Child c = run(null);
        assertThat(c.code()).as(c.output()).isZero();
        assertThat(c.output()).contains("offline: true");
    }

    @Test
    void anEnvironmentThatTurnsOfflineModeOffIsRefused() throws Exception {
        Child c = run("false");
        assertThat(c.code()).as(c.output()).isEqualTo(2);
        assertThat(c.output()).contains("DJL_OFFLINE=false").contains("never downloads");
    }

    @Test
    void inThisJvmDjlSeesOfflineModeOnceMainIsLoaded() {
        new Main(); // its static initialiser forces the property
        assertThat(System.getProperty(Offline.PROPERTY)).isEqualTo("true");
        if (System.getenv(Offline.ENV) == null) {
            assertThat(ai.djl.util.Utils.isOfflineMode()).isTrue();
        }
    }
}
