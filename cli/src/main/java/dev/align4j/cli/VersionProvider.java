package dev.align4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project version, the DJL and PyTorch versions it was built with, the JVM. */
public final class VersionProvider implements IVersionProvider {

    private static final Properties BUILD = load();

    /** The project version from the build, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        String v = BUILD.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown (built without Maven resource filtering)" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "align4j " + version(),
            "DJL " + BUILD.getProperty("djl", "?") + ", PyTorch " + BUILD.getProperty("pytorch", "?"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                    + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        return p;
    }
}
