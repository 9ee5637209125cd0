package dev.align4j.annotate;

import java.util.List;

/** Where a {@link Session} draws its screens and reads its keys: a terminal or plain lines. */
public interface Console extends AutoCloseable {

    /** Columns available. */
    int width();

    /** Rows available; 0 when output does not scroll away (plain lines: the whole screen is printed). */
    int height();

    /** Shows {@code lines} (each at most {@link #width()} long) in place of the last screen. */
    void draw(List<String> lines);

    /** Blocks for the next key; {@link Key#END} when input has ended. */
    Key readKey();

    /**
     * Reads one line of text (a note), echoing it after {@code prompt} below {@code screen}.
     * Null when cancelled (Esc) or when input ended.
     */
    String readLine(List<String> screen, String prompt);

    /** Called (from any thread) to redraw, e.g. when the terminal is resized; may be ignored. */
    default void onResize(Runnable redraw) {
    }

    @Override
    void close();
}
