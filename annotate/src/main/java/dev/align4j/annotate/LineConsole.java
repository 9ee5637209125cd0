package dev.align4j.annotate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The console without a terminal: one key per input line ({@code 1}, {@code 2}, {@code a},
 * {@code b}, {@code t}, {@code s}, {@code u}, {@code n}, {@code ?}, {@code q}; after {@code n} the
 * next line is the note), blank lines ignored, end of input quits. Each screen is printed whole at
 * {@link #width()} columns, so sessions can be scripted and their output read.
 */
public final class LineConsole implements Console {

    private final BufferedReader in;
    private final PrintWriter out;
    private final int width;

    public LineConsole(BufferedReader in, PrintWriter out, int width) {
        this.in = in;
        this.out = out;
        this.width = width;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return 0;
    }

    @Override
    public void draw(List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }

    @Override
    public Key readKey() {
        while (true) {
            String line = next();
            if (line == null) {
                return Key.END;
            }
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.length() > 1) {
                return Key.UNKNOWN;
            }
            return Key.ofChar(t.charAt(0)).orElse(Key.UNKNOWN);
        }
    }

    @Override
    public String readLine(List<String> screen, String prompt) {
        out.println(prompt);
        out.flush();
        return next();
    }

    private String next() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keys", e);
        }
    }

    @Override
    public void close() {
        out.flush();
    }
}
