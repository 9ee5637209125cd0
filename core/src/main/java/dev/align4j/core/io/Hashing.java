package dev.align4j.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Content hashes recorded in run.json and checkpoints so a run names the data that made it. */
public final class Hashing {

    private Hashing() {
    }

    /**
     * SHA-256 (lower-case hex) over the given files in order. A folder contributes every regular
     * file below it in sorted relative-path order, each prefixed with its relative path, so
     * renaming a file inside a folder changes the hash. Each file is framed by its length, so
     * ["ab","c"] and ["a","bc"] differ. File names of top-level files are not hashed: the same
     * bytes at another path give the same hash.
     */
    public static String sha256(Path... paths) {
        MessageDigest md = newDigest();
        try {
            for (Path p : paths) {
                if (Files.isDirectory(p)) {
                    List<Path> files;
                    try (Stream<Path> walk = Files.walk(p)) {
                        files = walk.filter(Files::isRegularFile).sorted().toList();
                    }
                    for (Path f : files) {
                        byte[] rel = p.relativize(f).toString().replace('\\', '/')
                                .getBytes(StandardCharsets.UTF_8);
                        updateLong(md, rel.length);
                        md.update(rel);
                        digestFile(md, f);
                    }
                } else {
                    digestFile(md, p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + List.of(paths), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 hex of a string's UTF-8 bytes (e.g. to fingerprint an in-memory data set). */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void digestFile(MessageDigest md, Path f) throws IOException {
        updateLong(md, Files.size(f));
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
    }

    private static void updateLong(MessageDigest md, long v) {
        for (int i = 7; i >= 0; i--) {
            md.update((byte) (v >>> (8 * i)));
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
