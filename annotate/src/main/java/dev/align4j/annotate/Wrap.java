package dev.align4j.annotate;

import java.util.ArrayList;
import java.util.List;

/**
 * Word wrapping for the terminal. Text is split at its own line breaks, each line wrapped at
 * spaces to at most {@code width} characters; a word longer than the width is cut. Tabs become four
 * spaces, carriage returns and other control characters are dropped. Widths count UTF-16 chars
 * (wide CJK characters count as one column: the layout is then a little too wide, never cut).
 */
public final class Wrap {

    private Wrap() {
    }

    public static List<String> lines(String text, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        List<String> out = new ArrayList<>();
        for (String raw : clean(text).split("\n", -1)) {
            wrapLine(raw, width, out);
        }
        return out;
    }

    /** Tabs to spaces, other control characters removed. */
    static String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                sb.append("    ");
            } else if (c == '\n' || !Character.isISOControl(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void wrapLine(String line, int width, List<String> out) {
        String rest = stripTrailing(line);
        if (rest.isEmpty()) {
            out.add("");
            return;
        }
        while (rest.length() > width) { // a continuation line starts at its first word
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                out.add(rest.substring(0, width));
                rest = rest.substring(width);
            } else {
                out.add(stripTrailing(rest.substring(0, cut)));
                rest = rest.substring(cut + 1).stripLeading();
            }
        }
        out.add(rest);
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    /** {@code s} cut or padded with spaces to exactly {@code width}. */
    public static String fit(String s, int width) {
        if (s.length() >= width) {
            return s.substring(0, width);
        }
        return s + " ".repeat(width - s.length());
    }
}
