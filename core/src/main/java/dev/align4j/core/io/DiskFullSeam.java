package dev.align4j.core.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes left before a simulated full disk ({@link AtomicFiles#simulateDiskFull}); negative
 * when off, which is always outside tests.
 */
final class DiskFullSeam {

    private static final AtomicLong LEFT = new AtomicLong(-1);

    private DiskFullSeam() {}

    static void arm(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        LEFT.set(bytes);
    }

    static void disarm() {
        LEFT.set(-1);
    }

    static OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                charge(1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                charge(len);
                out.write(b, off, len);
            }
        };
    }

    /** Takes {@code n} bytes from the budget, or throws as a full disk does when they are not there. */
    private static void charge(long n) throws IOException {
        while (true) {
            long left = LEFT.get();
            if (left < 0) {
                return;
            }
            if (left < n) {
                throw new IOException("No space left on device");
            }
            if (LEFT.compareAndSet(left, left - n)) {
                return;
            }
        }
    }
}
