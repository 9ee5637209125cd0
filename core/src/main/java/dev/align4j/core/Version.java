package dev.align4j.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of align4j and the engine it was built against, from a Maven-filtered resource. */
public final class Version {

    private static final Properties BUILD = load();

    private Version() {}

    /** The project version (e.g. 0.1.0-SNAPSHOT), or "dev" when run from unfiltered classes. */
    public static String project() {
        String v = BUILD.getProperty("version", "dev");
        return v.startsWith("${") ? "dev" : v;
    }

    public static String djl() {
        return BUILD.getProperty("djl", "?");
    }

    public static String pytorch() {
        return BUILD.getProperty("pytorch", "?");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
        return p;
    }
}
