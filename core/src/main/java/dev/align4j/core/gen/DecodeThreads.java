package dev.align4j.core.gen;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Runs single-token decode steps on the CPU with fewer PyTorch intra-op threads.
 *
 * <p>Why: a decode step's matmuls have only B rows (8 x 256 by 256 x 256 in the benchmark), so
 * splitting them over threads gains little, while every op then ends in an OpenMP barrier. When
 * the cores are shared with other processes, a thread waiting at that barrier spins while its
 * partner is descheduled: on the project's 2-core box under load, cached generation ran at 13-38
 * tok/s with 2 threads against 670-740 with 1 (interleaved in one JVM; docs/DESIGN.md has the
 * numbers). Prefill and uncached steps (B x T rows) keep the configured count.
 *
 * <p>PyTorch's thread count is process-wide, so the limit holds for every thread while any
 * generation is decoding; the first entrant saves the configured count and the last one restores
 * it. {@code -Dalign4j.decode_threads=N} changes the limit; 0 leaves the count alone.
 */
final class DecodeThreads implements AutoCloseable {

    private static final int LIMIT = Integer.getInteger("align4j.decode_threads", 1);
    private static final Object LOCK = new Object();
    private static int holders;
    private static int saved;

    private final boolean held;

    private DecodeThreads(boolean held) {
        this.held = held;
    }

    /** Limits the intra-op threads until {@link #close}; does nothing off the CPU or PyTorch. */
    static DecodeThreads limit(Device device) {
        if (LIMIT <= 0 || device.getDeviceType() != Device.Type.CPU
                || !"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return new DecodeThreads(false);
        }
        synchronized (LOCK) {
            if (holders++ == 0) {
                saved = JniUtils.getNumThreads();
                if (saved > LIMIT) {
                    JniUtils.setNumThreads(LIMIT);
                }
            }
        }
        return new DecodeThreads(true);
    }

    @Override
    public void close() {
        if (!held) {
            return;
        }
        synchronized (LOCK) {
            if (--holders == 0 && saved > LIMIT) {
                JniUtils.setNumThreads(saved);
            }
        }
    }
}
