package dev.align4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Sends the DEBUG log of a run to {@code run.log} in its output folder, next to {@code config.json}
 * and {@code metrics.jsonl}. A command calls {@link #attach} once it has validated its input and is
 * about to create the folder; the terminal keeps showing INFO and up.
 */
public final class RunLogging {

    /** Events with this marker go to run.log only, never to the terminal (stack traces). */
    public static final Marker FILE_ONLY = MarkerManager.getMarker("FILE_ONLY");

    static final String FILE_NAME = "run.log";
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%n";
    private static final Logger LOG = LogManager.getLogger(RunLogging.class);
    private static final Map<Path, FileAppender> ATTACHED = new LinkedHashMap<>();

    private RunLogging() {}

    /**
     * Creates {@code outputDir} if needed and appends every DEBUG-and-up event to
     * {@code outputDir/run.log} from now on. Attaching the same folder twice does nothing.
     *
     * @return the log file
     */
    public static synchronized Path attach(Path outputDir) {
        Path file = outputDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        if (ATTACHED.containsKey(file)) {
            return file;
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        FileAppender appender = FileAppender.newBuilder()
                .setName("run-log-" + file)
                .withFileName(file.toString())
                .withAppend(true)
                .setLayout(PatternLayout.newBuilder().withConfiguration(config).withPattern(PATTERN).build())
                .setConfiguration(config)
                .build();
        appender.start();
        config.addAppender(appender);
        for (LoggerConfig logger : loggersReachingTheFile(config)) {
            logger.addAppender(appender, Level.DEBUG, null);
        }
        ctx.updateLoggers();
        ATTACHED.put(file, appender);
        LOG.debug("align4j {} on Java {}, logging to {}", VersionProvider.version(),
                System.getProperty("java.version"), file);
        return file;
    }

    /** Stops writing to {@code outputDir/run.log}; does nothing if it was not attached. */
    public static synchronized void detach(Path outputDir) {
        Path file = outputDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        FileAppender appender = ATTACHED.remove(file);
        if (appender == null) {
            return;
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        for (LoggerConfig logger : loggersReachingTheFile(config)) {
            logger.removeAppender(appender.getName());
        }
        ctx.updateLoggers();
        appender.stop();
    }

    /** Detaches every run.log (Main does this after each command, once errors are logged). */
    public static synchronized void detachAll() {
        for (Path file : new java.util.ArrayList<>(ATTACHED.keySet())) {
            detach(file.getParent());
        }
    }

    /** The most recently attached run.log, if any. */
    public static synchronized Optional<Path> current() {
        Path last = null;
        for (Path p : ATTACHED.keySet()) {
            last = p;
        }
        return Optional.ofNullable(last);
    }

    /** The root, plus loggers that do not pass events up to it (DJL's, see log4j2.xml). */
    private static List<LoggerConfig> loggersReachingTheFile(Configuration config) {
        LoggerConfig root = config.getRootLogger();
        List<LoggerConfig> out = new java.util.ArrayList<>(List.of(root));
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (logger != root && !logger.isAdditive()) {
                out.add(logger);
            }
        }
        return out;
    }
}
