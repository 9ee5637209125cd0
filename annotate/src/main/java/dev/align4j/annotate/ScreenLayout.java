package dev.align4j.annotate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out one annotation screen as plain lines of at most the terminal's width: a header with
 * progress, the prompt and the two responses (side by side from {@value #SIDE_BY_SIDE} columns,
 * stacked below that), and a footer with the keys and a status line. Only the body scrolls; the
 * header and footer stay put. Pure: the same view and size give the same lines.
 */
public final class ScreenLayout {

    /** Fewest columns for two responses side by side (two columns of at least 38 characters). */
    public static final int SIDE_BY_SIDE = 80;
    /** Narrower terminals are laid out as if this wide (lines then wrap in the terminal). */
    public static final int MIN_WIDTH = 20;
    static final String KEYS = "1/a left  2/b right  t tie  s skip  u undo  n note  ? help  q quit";
    /** The keys line where {@link #KEYS} does not fit. */
    static final String KEYS_SHORT = "1/a 2/b t:tie s:skip u:undo n:note ?:help q:quit";
    private static final int HEADER = 2;
    private static final int FOOTER = 3;

    /**
     * What one screen shows.
     *
     * @param position the pair's 1-based place in the input
     * @param labelled pairs this annotator has a standing label for
     * @param perMinute labels per minute in this session (null before the first)
     * @param minutesLeft the remaining pairs at that rate (null before the first label)
     * @param note the note typed for this pair so far (null when none)
     * @param message one line of feedback (null when none)
     * @param help show the key help instead of the pair
     * @param scroll first body line shown
     */
    public record View(String annotator, String pairId, int position, int labelled, int total, Double perMinute,
            Double minutesLeft, String prompt, String left, String right, String note, String message, boolean help,
            int scroll) {
    }

    /**
     * @param lines what to draw, top to bottom
     * @param scroll the first body line shown (clamped)
     * @param maxScroll the largest useful scroll
     * @param page body lines on one screen
     */
    public record Frame(List<String> lines, int scroll, int maxScroll, int page) {
    }

    private ScreenLayout() {
    }

    /** The screen for {@code v} on a terminal of {@code width} x {@code height}; height 0: no scrolling. */
    public static Frame render(View v, int width, int height) {
        int w = Math.max(MIN_WIDTH, width);
        List<String> body = v.help() ? help(w) : body(v, w);
        int page = height <= 0 ? body.size() : Math.max(1, height - HEADER - FOOTER);
        int maxScroll = Math.max(0, body.size() - page);
        int scroll = Math.max(0, Math.min(v.scroll(), maxScroll));
        List<String> out = new ArrayList<>();
        String header = header(v);
        out.add(fitLine(header.length() <= w ? header : shortHeader(v), w));
        out.add("=".repeat(w));
        List<String> shown = body.subList(scroll, Math.min(body.size(), scroll + page));
        out.addAll(shown);
        if (height > 0) {
            for (int i = shown.size(); i < page; i++) {
                out.add("");
            }
        }
        out.add("-".repeat(w));
        out.add(fitLine(KEYS.length() <= w ? KEYS : KEYS_SHORT, w));
        out.add(fitLine(status(v, scroll, page, body.size()), w));
        return new Frame(out, scroll, maxScroll, page);
    }

    private static String header(ScreenLayout.View v) {
        StringBuilder sb = new StringBuilder();
        sb.append("align4j annotate | ").append(v.annotator()).append(" | pair ").append(v.position()).append(" of ")
                .append(v.total()).append(" | labelled ").append(v.labelled()).append(" of ").append(v.total());
        if (v.perMinute() != null) {
            sb.append(String.format(Locale.ROOT, " | %.1f labels/min", v.perMinute()));
        }
        if (v.minutesLeft() != null) {
            sb.append(String.format(Locale.ROOT, " | ~%s left", duration(v.minutesLeft())));
        }
        return sb.toString();
    }

    /** The header for narrow terminals: the numbers first, the annotator last (cut first). */
    private static String shortHeader(View v) {
        StringBuilder sb = new StringBuilder();
        sb.append(v.position()).append('/').append(v.total()).append(" | done ").append(v.labelled());
        if (v.perMinute() != null) {
            sb.append(String.format(Locale.ROOT, " | %.1f/min", v.perMinute()));
        }
        if (v.minutesLeft() != null) {
            sb.append(" | ~").append(duration(v.minutesLeft())).append(" left");
        }
        return sb.append(" | ").append(v.annotator()).toString();
    }

    static String duration(double minutes) {
        if (minutes < 1) {
            return Math.max(1, Math.round(minutes * 60)) + " s";
        }
        if (minutes < 90) {
            return Math.round(minutes) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", minutes / 60);
    }

    private static List<String> body(View v, int w) {
        List<String> out = new ArrayList<>();
        out.add("PROMPT (id " + v.pairId() + ")");
        out.addAll(Wrap.lines(v.prompt(), w));
        out.add("");
        String l = "[1/a] LEFT";
        String r = "[2/b] RIGHT";
        if (w >= SIDE_BY_SIDE) {
            int col = (w - 3) / 2;
            List<String> left = Wrap.lines(v.left(), col);
            List<String> right = Wrap.lines(v.right(), col);
            out.add(Wrap.fit(l, col) + " | " + r);
            out.add("-".repeat(col) + "-+-" + "-".repeat(w - col - 3));
            for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
                String a = i < left.size() ? left.get(i) : "";
                String b = i < right.size() ? right.get(i) : "";
                out.add(stripEnd(Wrap.fit(a, col) + " | " + b));
            }
        } else {
            out.add(l);
            out.addAll(Wrap.lines(v.left(), w));
            out.add("");
            out.add(r);
            out.addAll(Wrap.lines(v.right(), w));
        }
        if (v.note() != null) {
            out.add("");
            out.add("NOTE");
            out.addAll(Wrap.lines(v.note(), w));
        }
        return out;
    }

    private static List<String> help(int w) {
        List<String> out = new ArrayList<>();
        for (String s : List.of("KEYS",
                "1 or a   the left response is better",
                "2 or b   the right response is better",
                "t        tie: neither is better",
                "s        skip this pair (recorded; it does not come back)",
                "u        undo the last label (a retraction is appended) and show that pair again",
                "n        type a note; it is saved with this pair's label",
                "?        show or hide this help",
                "q        quit; every label so far is on disk, a rerun resumes here",
                "up/down, j/k   scroll one line;  space/PgDn, PgUp   one page",
                "",
                "Left and right are shuffled per pair; labels are stored as A/B of the input file.")) {
            out.addAll(Wrap.lines(s, w));
        }
        return out;
    }

    private static String status(View v, int scroll, int page, int bodyLines) {
        StringBuilder sb = new StringBuilder();
        if (v.message() != null) {
            sb.append(v.message());
        }
        if (bodyLines > page) {
            if (sb.length() > 0) {
                sb.append("  ");
            }
            sb.append("[lines ").append(scroll + 1).append('-').append(Math.min(bodyLines, scroll + page))
                    .append(" of ").append(bodyLines).append(": up/down scroll]");
        }
        return sb.toString();
    }

    private static String fitLine(String s, int w) {
        return s.length() <= w ? s : s.substring(0, w);
    }

    private static String stripEnd(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}
