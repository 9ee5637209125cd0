package dev.align4j.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes that are all-or-nothing: a reader (or a resumed run after a crash) sees either the old
 * file or the complete new one, never a half-written file. Recipe: write a sibling temp file,
 * fsync it, rename it over the target, fsync the parent folder so the rename itself is durable.
 * Committed files are rw-r--r-- on POSIX file systems, whatever the temp file was created with.
 */
public final class AtomicFiles {

    private static final Set<PosixFilePermission> COMMITTED =
            PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    /** Atomically replaces {@code target} with {@code bytes}; creates parent folders. */
    public static void write(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                shareable(tmp);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                move(tmp, abs);
            } finally {
                Files.deleteIfExists(tmp);
            }
            fsyncDir(abs.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
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
            shareable(tmp);
            move(tmp, target);
            fsyncDir(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + tmp + " to " + target, e);
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

    /**
     * Gives a file about to be committed the usual mode of written files, rw-r--r--, where the file
     * system has POSIX permissions: temp files are created owner-only (0600), which would otherwise
     * leave a model's config.json unreadable to others beside its 0644 weights.
     */
    private static void shareable(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, COMMITTED);
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
