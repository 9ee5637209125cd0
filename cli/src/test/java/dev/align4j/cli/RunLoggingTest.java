package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLoggingTest {

    @TempDir
    Path dir;

    @Test
    void runLogGetsOurDebugAndDjlWarningsButNotOthersDebug() throws IOException {
        Path out = dir.resolve("run");
        Path file = RunLogging.attach(out);
        try {
            assertThat(file).isEqualTo(out.resolve("run.log").toAbsolutePath());
            assertThat(RunLogging.current()).contains(file);
            LogManager.getLogger("dev.align4j.test").debug("debug from align4j");
            LogManager.getLogger("ai.djl.util.cuda.CudaUtils").warn("Failed to detect GPU count: test");
            org.slf4j.LoggerFactory.getLogger("ai.djl.engine.Engine").info("info through slf4j");
            LogManager.getLogger("org.example").debug("debug from a library");
        } finally {
            RunLogging.detach(out);
        }
        LogManager.getLogger("dev.align4j.test").debug("after detach");
        String log = Files.readString(file);
        assertThat(log).contains("debug from align4j", "Failed to detect GPU count: test", "info through slf4j")
                .doesNotContain("debug from a library", "after detach");
        assertThat(RunLogging.current()).isEmpty();
    }
}
