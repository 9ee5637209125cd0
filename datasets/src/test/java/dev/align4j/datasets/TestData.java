package dev.align4j.datasets;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Test fixtures: tiny files in test resources, and the shared data set when present. */
public final class TestData {

    private TestData() {
    }

    public static Path resource(String name) {
        try {
            return Path.of(TestData.class.getResource("/data/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ../shared/<relative>}; skips the calling test when the shared folder is absent. */
    public static Path shared(String relative) {
        Path p = Path.of(System.getProperty("align4j.shared", "../shared")).resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared data absent: " + p);
        return p;
    }
}
