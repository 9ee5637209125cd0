package dev.align4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes that are all-or-nothing: a reader (or a resumed run after a crash) sees either the old
 * file or the complete new one, never a half-written file. Recipe: write a sibling temp file,
 * fsync it, rename it over the target, fsync the parent folder so the rename itself is durable.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Atomically replaces {@code target} with {@code bytes}; creates parent folders. The file gets
     * the permissions of any new file (0666 less the umask, 0644 usually), like the weights that
     * stream through {@link #newOutputStream}: a temp file from {@code Files.createTempFile} would
     * be 0600, and the rename would keep that.
     */
    public static void write(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = tempSibling(abs);
            try {
                try (OutputStream out = newOutputStream(tmp)) {
                    out.write(bytes);
                }
                fsync(tmp);
                move(tmp, abs);
            } finally {
                Files.deleteIfExists(tmp);
            }
            fsyncDir(abs.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** A fresh hidden sibling name for a temp file of {@code target}: {@code .NAME.RANDOM.tmp}. */
    public static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
    }

    /**
     * A new file (created or truncated) to stream into, with default permissions; its bytes count
     * against {@link #simulateDiskFull}. Finish with {@link #commit}.
     */
    public static OutputStream newOutputStream(Path file) throws IOException {
        return DiskFullSeam.wrap(Files.newOutputStream(file));
    }

    /**
     * Test seam: from now on, writes through this class fail with "No space left on device" once
     * {@code bytes} more bytes have been written (a write that would cross the limit writes
     * nothing). Closing the handle lifts it. One at a time, for the whole JVM.
     */
    public static DiskFull simulateDiskFull(long bytes) {
        DiskFullSeam.arm(bytes);
        return DiskFullSeam::disarm;
    }

    /** The handle of {@link #simulateDiskFull}. */
    @FunctionalInterface
    public interface DiskFull extends AutoCloseable {
        @Override
        void close();
    }

    /** {@link #write} of UTF-8 text. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Moves a fully written folder {@code tmpDir} to {@code finalDir} with one rename. If
     * {@code finalDir} already exists it is first renamed aside and deleted after the swap, so the
     * window without a complete folder is one rename long. Both must be on the same file system.
     */
    public static void replaceDir(Path tmpDir, Path finalDir) {
        try {
            fsyncTree(tmpDir);
            Path aside = null;
            if (Files.exists(finalDir)) {
                aside = finalDir.resolveSibling("." + finalDir.getFileName() + ".old-" + System.nanoTime());
                move(finalDir, aside);
            }
            move(tmpDir, finalDir);
            fsyncDir(finalDir.toAbsolutePath().getParent());
            if (aside != null) {
                deleteTree(aside);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmpDir + " to " + finalDir, e);
        }
    }

    /** Deletes a file or a folder with everything below it; a missing path is fine. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /**
     * The end of a streamed atomic write: {@code tmp} (a fully written sibling of {@code target})
     * is fsynced and renamed over {@code target}, then the parent folder is fsynced, the same
     * recipe as {@link #write} for writers that stream into their own temp file.
     */
    public static void commit(Path tmp, Path target) {
        try {
            fsync(tmp);
            move(tmp, target);
            fsyncDir(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Forces a file's content to disk (used for append-only logs at checkpoints). */
    public static void fsync(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync " + file, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // e.g. some network file systems; a plain rename is the best left
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    fsyncTree(p);
                } else if (Files.isRegularFile(p)) {
                    fsync(p);
                }
            }
        }
        fsyncDir(dir);
    }

    /** Directory fsync makes a rename durable on Linux; other systems refuse it, which is harmless. */
    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform: the rename is still atomic, only not yet durable
        }
    }
}
