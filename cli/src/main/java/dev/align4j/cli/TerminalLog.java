package dev.align4j.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilterable;
import org.apache.logging.log4j.core.filter.ThresholdFilter;

/**
 * The level of the terminal's log lines ({@code --quiet}, {@code --log-level}), set before a command
 * runs. Only the {@code terminal} appender of log4j2.xml changes: a run's run.log keeps its DEBUG
 * lines whatever the terminal shows.
 */
final class TerminalLog {

    static final String APPENDER = "terminal";
    private static final String ALIGN4J = "dev.align4j";

    private static Filter threshold;
    private static Level current = Level.INFO;

    private TerminalLog() {
    }

    /** The level of the last {@link #set}, INFO before any. */
    static synchronized Level level() {
        return current;
    }

    /**
     * Shows {@code level} and up on the terminal: a threshold filter on the appender, and, below
     * INFO, the terminal references of the root and align4j loggers lowered to it.
     */
    static synchronized void set(Level level) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        Appender terminal = config.getAppender(APPENDER);
        if (!(terminal instanceof AbstractFilterable filterable)) {
            return; // another logging configuration: leave it alone
        }
        if (threshold != null) {
            filterable.removeFilter(threshold);
        }
        threshold = ThresholdFilter.createFilter(level, Filter.Result.NEUTRAL, Filter.Result.DENY);
        filterable.addFilter(threshold);
        Level ref = level.isLessSpecificThan(Level.INFO) ? level : Level.INFO;
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(APPENDER);
        root.addAppender(terminal, ref, null);
        root.setLevel(ref);
        LoggerConfig own = config.getLoggerConfig(ALIGN4J);
        if (own.getName().equals(ALIGN4J) && level.isLessSpecificThan(own.getLevel())) {
            own.setLevel(level); // TRACE: the config stops at DEBUG
        }
        ctx.updateLoggers();
        current = level;
    }

    /** The level named by {@code name} (any case), or null when it is not one. */
    static Level parse(String name) {
        Level l = Level.getLevel(name.toUpperCase(java.util.Locale.ROOT));
        return l == null || l == Level.OFF || l == Level.ALL ? null : l;
    }
}
