package dev.align4j.cli;

import dev.align4j.core.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project version, the DJL and PyTorch versions it was built with, the JVM. */
public final class VersionProvider implements IVersionProvider {

    /** The project version from the build, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return Version.project();
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "align4j " + version(),
            "DJL " + Version.djl() + ", PyTorch " + Version.pytorch(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                    + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
