package dev.align4j.annotate;

import java.util.Optional;

/** What a key press asks the session to do. */
public enum Key {
    LEFT, RIGHT, TIE, SKIP, UNDO, NOTE, HELP, QUIT, SCROLL_UP, SCROLL_DOWN, PAGE_UP, PAGE_DOWN, REDRAW,
    /** A key with no meaning (the session says so). */
    UNKNOWN,
    /** The input ended: treated as quit. */
    END;

    /** The command of a single typed key: {@code 1}/{@code a}, {@code 2}/{@code b}, t, s, u, n, ?, q, j, k. */
    public static Optional<Key> ofChar(char c) {
        return Optional.ofNullable(switch (Character.toLowerCase(c)) {
            case '1', 'a' -> LEFT;
            case '2', 'b' -> RIGHT;
            case 't' -> TIE;
            case 's' -> SKIP;
            case 'u' -> UNDO;
            case 'n' -> NOTE;
            case '?', 'h' -> HELP;
            case 'q' -> QUIT;
            case 'k' -> SCROLL_UP;
            case 'j' -> SCROLL_DOWN;
            case ' ' -> PAGE_DOWN;
            default -> null;
        });
    }
}
