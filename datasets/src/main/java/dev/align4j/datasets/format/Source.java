package dev.align4j.datasets.format;

import java.nio.file.Path;

/** Where a record came from: its file and the 1-based line it starts on. */
public record Source(Path file, long line) {

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
