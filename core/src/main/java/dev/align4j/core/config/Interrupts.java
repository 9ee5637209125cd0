package dev.align4j.core.config;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The Ctrl-C flag. The CLI installs a shutdown hook once; on SIGINT/SIGTERM the hook sets the flag
 * and then holds the JVM open for a grace period while the running command notices
 * {@link #requested()} (a training loop checks it once per step), saves a checkpoint and returns.
 * The CLI calls {@link #workFinished()} when its command has returned, which releases the hook.
 *
 * <p>A loop that stops early because of the flag should say so in its log and leave a resumable
 * checkpoint; it should not throw.
 */
public final class Interrupts {

    private static final Logger LOG = LogManager.getLogger(Interrupts.class);
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final CountDownLatch FINISHED = new CountDownLatch(1);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private Interrupts() {}

    /** True once a stop was asked for (Ctrl-C, {@code kill}, or {@link #request()}). */
    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Asks the running work to stop at its next safe point, as Ctrl-C does. */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Clears the flag, for tests that exercise a stop and then carry on. */
    public static void clear() {
        REQUESTED.set(false);
    }

    /**
     * Installs the shutdown hook (once per JVM; later calls do nothing). On shutdown the hook sets
     * the flag and waits up to {@code grace} for {@link #workFinished()}.
     */
    public static void installShutdownHook(Duration grace) {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
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

    /** Tells the hook that the command has returned, so the JVM may exit now. */
    public static void workFinished() {
        FINISHED.countDown();
    }
}
