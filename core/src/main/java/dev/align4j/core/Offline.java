package dev.align4j.core;

/**
 * align4j never fetches anything from the network at run time: models, tokenizers and data are
 * local files, and DJL's native libraries come from the jars on the classpath. DJL would download
 * natives or model-zoo files when it is not in offline mode, so every entry point calls
 * {@link #force()} before DJL's {@code Engine} loads.
 *
 * <p>DJL reads the environment variable {@value #ENV} first and the system property
 * {@value #PROPERTY} only when the variable is unset, so a variable saying anything but "true"
 * cannot be overridden from Java and is refused instead ({@link #problem()}).
 */
public final class Offline {

    /** The system property DJL's {@code Utils.isOfflineMode()} reads. */
    public static final String PROPERTY = "ai.djl.offline";
    /** The environment variable that takes precedence over {@link #PROPERTY}. */
    public static final String ENV = "DJL_OFFLINE";

    private Offline() {}

    /** Sets {@value #PROPERTY} to true, whatever it was (a {@code -D} on the command line included). */
    public static void force() {
        System.setProperty(PROPERTY, "true");
    }

    /** Why DJL would not be offline despite {@link #force()} (the environment says otherwise), or null. */
    public static String problem() {
        return problem(System.getenv(ENV));
    }

    static String problem(String envValue) {
        if (envValue == null || Boolean.parseBoolean(envValue)) {
            return null;
        }
        return "environment variable " + ENV + "=" + envValue + ": align4j never downloads at run time;"
                + " unset it or set it to true";
    }
}
