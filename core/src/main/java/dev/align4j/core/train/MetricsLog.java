package dev.align4j.core.train;

import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line, appended with one write call per line (so a
 * crash loses at most the line being written) and forced to disk at checkpoints.
 */
public final class MetricsLog implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;

    public MetricsLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /** Appends {@code record} as one line. NaN/infinite values are written as strings. */
    public void append(Map<String, ?> record) {
        byte[] bytes = (Json.line(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Forces written lines to disk. */
    public void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + file, e);
        }
    }

    /**
     * On resume: drops lines logged after {@code step} (steps that are about to be repeated), so the
     * file reads as one run. Lines without a step, or unreadable ones, are kept.
     */
    public static void truncateAfter(Path file, long step) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            StringBuilder kept = new StringBuilder();
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                long s = -1;
                try {
                    JsonNode n = Json.mapper().readTree(line);
                    s = n.path("step").asLong(-1);
                } catch (IOException e) {
                    // a torn last line from a crash: drop it
                    continue;
                }
                if (s <= step) {
                    kept.append(line).append('\n');
                }
            }
            AtomicFiles.writeString(file, kept.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
