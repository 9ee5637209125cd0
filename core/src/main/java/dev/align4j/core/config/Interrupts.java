package dev.align4j.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Ctrl-C and {@code kill}: the stop flag, and what the process does on SIGINT and SIGTERM.
 *
 * <p>{@link #install} (the CLI calls it once) handles SIGINT and SIGTERM with {@code sun.misc.Signal}
 * handlers. The first signal while work that can stop cleanly is running (inside a
 * {@link #stoppable()} scope: a training loop, generation, a pipeline) sets the flag: the loop
 * notices {@link #requested()} after its current step, saves a checkpoint and returns, and the CLI
 * exits 130 with the command that resumes. The first signal while nothing stoppable runs (loading,
 * validating, a command with nothing to save), and any second signal, ends the process at once with
 * exit 130: every write that matters is atomic (temp + rename), so the previous checkpoint and
 * output files stay whole.
 *
 * <p>Why signal handlers and not a shutdown hook: once the JVM starts its shutdown sequence it exits
 * with 128 + the signal (143 for SIGTERM), whatever {@code System.exit} is then given; further
 * signals are ignored, so a second Ctrl-C cannot cut a long save short; and other shutdown hooks
 * (logging, DJL's) run at the same time as the checkpoint is being written. A handler runs while the
 * JVM is still alive and chooses both the exit code and the moment. Where the handlers cannot be
 * installed (a JVM started with {@code -Xrs}, or a signal already taken), {@link #install} falls back
 * to a shutdown hook that sets the flag and waits up to the grace period for {@link #workFinished()}.
 *
 * <p>A loop that stops early because of the flag should say so in its log and leave a resumable
 * checkpoint; it should not throw.
 */
public final class Interrupts {

    /** The exit code of a process stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
    public static final int EXIT_CODE = 130;

    private static final Logger LOG = LogManager.getLogger(Interrupts.class);
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicInteger SIGNALS = new AtomicInteger();
    private static final AtomicInteger STOPPABLE = new AtomicInteger();
    private static final CountDownLatch FINISHED = new CountDownLatch(1);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicReference<String> RESUME = new AtomicReference<>();
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%^-]+");

    private Interrupts() {}

    /** True once a stop was asked for (Ctrl-C, {@code kill}, or {@link #request()}). */
    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Asks the running work to stop at its next safe point, as Ctrl-C does. */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Clears the flag and the signal count, for tests that exercise a stop and then carry on. */
    public static void clear() {
        REQUESTED.set(false);
        SIGNALS.set(0);
    }

    /** A section of work that checks {@link #requested()} and stops cleanly; close it when done. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Marks the current work as able to stop cleanly until the returned scope is closed (scopes
     * nest). A signal outside every such scope ends the process at once.
     */
    public static Scope stoppable() {
        STOPPABLE.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                STOPPABLE.decrementAndGet();
            }
        };
    }

    /**
     * Remembers how this process was started ({@code program} and its arguments), so that an
     * interrupted run can log the exact command that resumes it ({@link #resumeCommand()}).
     */
    public static void commandLine(String program, List<String> args) {
        StringBuilder sb = new StringBuilder(quote(program));
        boolean resume = false;
        for (String a : args) {
            sb.append(' ').append(quote(a));
            resume |= a.equals("--resume");
        }
        RESUME.set(resume ? sb.toString() : sb.append(" --resume").toString());
    }

    /** The command that resumes this run ({@link #commandLine} plus --resume), if it was recorded. */
    public static Optional<String> resumeCommand() {
        return Optional.ofNullable(RESUME.get());
    }

    /** {@code s} as one POSIX shell word. */
    static String quote(String s) {
        if (!s.isEmpty() && PLAIN.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Installs the SIGINT and SIGTERM handlers (once per JVM; later calls do nothing); if the JVM
     * refuses them, a shutdown hook that sets the flag and waits up to {@code grace} for
     * {@link #workFinished()}.
     */
    public static void install(Duration grace) {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name),
                        sig -> onSignal("SIG" + sig.getName(), Runtime.getRuntime()::halt));
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("signal handlers not available ({}); using a shutdown hook", e.getMessage());
            installShutdownHook(grace);
        }
    }

    /**
     * What a signal does (see the class comment); {@code exit} ends the process. Returns true when
     * the process should keep running to stop cleanly.
     */
    static boolean onSignal(String name, IntConsumer exit) {
        int n = SIGNALS.incrementAndGet();
        REQUESTED.set(true);
        if (n > 1) {
            LOG.warn("{} again: exiting now; the last complete checkpoint is kept", name);
            exit.accept(EXIT_CODE);
            return false;
        }
        if (STOPPABLE.get() == 0) {
            LOG.warn("{}: exiting (nothing to save)", name);
            exit.accept(EXIT_CODE);
            return false;
        }
        LOG.warn("{}: finishing the current step and saving a checkpoint; press Ctrl-C again to exit at once"
                + " (the previous checkpoint is kept)", name);
        return true;
    }

    private static void installShutdownHook(Duration grace) {
        Thread hook = new Thread(() -> {
            if (FINISHED.getCount() == 0) {
                return; // normal exit: the command is already done
            }
            REQUESTED.set(true);
            LOG.warn("stop requested: finishing the current step and saving a checkpoint"
                    + " (waiting up to {} s)", grace.toSeconds());
            try {
                if (!FINISHED.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("did not stop within {} s; exiting without a final checkpoint",
                            grace.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "align4j-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Tells the fallback hook that the command has returned, so the JVM may exit now. */
    public static void workFinished() {
        FINISHED.countDown();
    }
}
