package dev.align4j.annotate;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;

/**
 * The console on a real terminal through JLine: raw mode (keys arrive one at a time, unechoed),
 * the alternate screen (the shell's screen comes back on exit), terminfo cursor addressing to
 * repaint, the terminal's own key codes for arrows and page keys, and SIGWINCH for
 * resizes. Ctrl-C still interrupts (raw mode keeps ISIG); every label is on disk by then.
 */
public final class TerminalConsole implements Console {

    private final Terminal terminal;
    private final Attributes saved;
    private final BindingReader reader;
    private final KeyMap<Key> keys = new KeyMap<>();

    private TerminalConsole(Terminal terminal) {
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.flush();
        this.reader = new BindingReader(terminal.reader());
        bindKeys();
    }

    /** The process's own terminal; fails when there is none. */
    public static TerminalConsole system() {
        try {
            return new TerminalConsole(TerminalBuilder.builder().system(true).dumb(false).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal", e);
        }
    }

    private void bindKeys() {
        for (char c : "12abtsunq?hjk AB TSUNQ".toCharArray()) {
            Key.ofChar(c).ifPresent(k -> keys.bind(k, String.valueOf(c)));
        }
        bindCap(Key.SCROLL_UP, Capability.key_up, "\033[A", "\033OA");
        bindCap(Key.SCROLL_DOWN, Capability.key_down, "\033[B", "\033OB");
        bindCap(Key.PAGE_UP, Capability.key_ppage, "\033[5~");
        bindCap(Key.PAGE_DOWN, Capability.key_npage, "\033[6~");
        keys.bind(Key.REDRAW, KeyMap.ctrl('L'));
        keys.bind(Key.QUIT, KeyMap.ctrl('D'));
        keys.setUnicode(Key.UNKNOWN);
        keys.setNomatch(Key.UNKNOWN);
        keys.setAmbiguousTimeout(100);
    }

    private void bindCap(Key k, Capability cap, String... fallbacks) {
        String seq = KeyMap.key(terminal, cap);
        if (seq != null && !seq.isEmpty()) {
            keys.bind(k, seq);
        }
        for (String f : fallbacks) {
            keys.bindIfNotBound(k, f);
        }
    }

    @Override
    public int width() {
        return Math.max(1, terminal.getWidth());
    }

    @Override
    public int height() {
        return Math.max(1, terminal.getHeight());
    }

    /**
     * Repaints every row: cursor to the row, the line, clear to its end; then clear below. (JLine's
     * diffing {@code Display} garbled lines under tmux, inserting characters in the wrong place, so
     * each frame is written whole; at 40 rows that is a few KB per key and does not flicker.)
     */
    @Override
    public synchronized void draw(List<String> lines) {
        int rows = height();
        int cols = width();
        PrintWriter w = terminal.writer();
        int n = Math.min(lines.size(), rows);
        for (int i = 0; i < n; i++) {
            terminal.puts(Capability.cursor_address, i, 0);
            String l = lines.get(i);
            w.print(l.length() > cols ? l.substring(0, cols) : l);
            if (l.length() < cols) {
                terminal.puts(Capability.clr_eol);
            }
        }
        if (n < rows) {
            terminal.puts(Capability.cursor_address, n, 0);
            terminal.puts(Capability.clr_eos);
        }
        terminal.puts(Capability.cursor_address, Math.max(0, n - 1), 0);
        w.flush();
        terminal.flush();
    }

    @Override
    public Key readKey() {
        Key k = reader.readBinding(keys);
        return k == null ? Key.END : k;
    }

    @Override
    public String readLine(List<String> screen, String prompt) {
        StringBuilder text = new StringBuilder();
        while (true) {
            List<String> lines = new ArrayList<>(screen.subList(0, Math.max(0, screen.size() - 1)));
            String shown = prompt + text + "_   (Enter saves, Esc cancels)";
            lines.add(shown.length() > width() ? shown.substring(shown.length() - width()) : shown);
            draw(lines);
            int c = reader.readCharacter();
            if (c == -1 || c == 27 || c == 3) {
                return null;
            }
            if (c == '\r' || c == '\n') {
                return text.toString();
            }
            if (c == 127 || c == 8) {
                if (text.length() > 0) {
                    text.setLength(text.length() - 1);
                }
            } else if (!Character.isISOControl(c)) {
                text.appendCodePoint(c);
            }
        }
    }

    @Override
    public void onResize(Runnable redraw) {
        terminal.handle(Terminal.Signal.WINCH, s -> redraw.run());
    }

    @Override
    public void close() {
        try {
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.setAttributes(saved);
            terminal.flush();
            terminal.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the terminal", e);
        }
    }
}
