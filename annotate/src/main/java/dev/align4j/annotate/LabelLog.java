package dev.align4j.annotate;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The append-only labels file. Each entry is one JSON line written with a single write and forced
 * to disk ({@code fsync}) before {@link Writer#append} returns, so after a crash the file is valid
 * JSONL up to at most one torn last line: a last line without its newline, or one that is not
 * valid JSON. Reading ignores such a line with a warning; {@link #openForAppend} also cuts it off,
 * so the next entry starts on a line of its own. A bad line anywhere else is an error.
 */
public final class LabelLog {

    private static final Logger LOG = LogManager.getLogger(LabelLog.class);

    /** The entries of a file and the byte length of its valid part. */
    public record Contents(List<LabelEntry> entries, long validBytes, boolean torn) {
    }

    private LabelLog() {
    }

    /** Every entry of {@code file}; an absent file has none. */
    public static Contents read(Path file) {
        if (!Files.exists(file)) {
            return new Contents(List.of(), 0, false);
        }
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": not a file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<LabelEntry> out = new ArrayList<>();
        int start = 0;
        long line = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            line++;
            boolean last = end >= bytes.length - 1;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            boolean complete = end < bytes.length;
            if (!text.isBlank()) {
                LabelEntry e = complete ? parse(text) : null;
                if (e == null) {
                    if (!last) {
                        throw UserInputException.at(file, line, null, "not a label entry: " + abbreviate(text));
                    }
                    LOG.warn("{}:{}: torn last line ({} bytes) ignored: the process stopped while writing it",
                            file, line, end - start);
                    return new Contents(out, start, true);
                }
                out.add(e);
            }
            start = end + 1;
        }
        return new Contents(out, bytes.length, false);
    }

    private static LabelEntry parse(String text) {
        try {
            return Json.mapper().readValue(text, LabelEntry.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /**
     * Opens {@code file} for appending (creating it and its folder), first cutting off a torn last
     * line found by {@link #read}.
     */
    public static Writer openForAppend(Path file, Contents read) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            boolean fresh = !Files.exists(file);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (fresh) {
                fsyncDir(parent); // the new name itself must survive a crash
            }
            if (read.torn() || ch.size() != read.validBytes()) {
                ch.truncate(read.validBytes());
                ch.force(true);
            }
            ch.position(ch.size());
            return new Writer(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some platforms refuse a folder fsync; the file's own fsync still holds its bytes
        }
    }

    /** Appends entries durably; one per call. */
    public static final class Writer implements AutoCloseable {
        private final FileChannel channel;

        private Writer(FileChannel channel) {
            this.channel = channel;
        }

        /** Writes {@code e} as one line and forces it to disk before returning. */
        public void append(LabelEntry e) {
            ByteBuffer buf = ByteBuffer.wrap((Json.line(e) + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                channel.force(true);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append a label", ex);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the labels file", e);
            }
        }
    }
}
