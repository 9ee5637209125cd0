package dev.align4j.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text files people write (configs, pipelines, corpora) read strictly: UTF-8 or an error at the line of
 * the first bad byte; a folder or a missing file named as such; YAML and JSON parse errors at the line
 * the parser stopped on, in words (no parser internals).
 */
public final class TextFiles {

    /** SnakeYAML's marks: {@code in 'reader', line 4, column 1:} (1-based). */
    private static final Pattern YAML_MARK = Pattern.compile("in '[^']*', line (\\d+), column (\\d+)");

    private TextFiles() {
    }

    /**
     * The file's text; {@code what} names the kind of file in errors ({@code "config file"}).
     *
     * @throws UserInputException {@code FILE: no such WHAT}, {@code FILE: is a folder, not a WHAT} or
     *     {@code FILE:LINE: not UTF-8 text (byte 0xff at column C)}
     */
    public static String readUtf8(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(file + ": is a folder, not a " + what);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException(file + ": no such " + what);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return decode(file, bytes);
    }

    /** {@code bytes} as UTF-8, or an error at the line and column of the first bad byte. */
    public static String decode(Object file, byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw UserInputException.at(file, line, null, String.format("not UTF-8 text (byte 0x%02x at column %d)",
                    bytes[at] & 0xff, at - lineStart + 1));
        }
        d.flush(out);
        out.flip();
        String s = out.toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /**
     * An error reading {@code file}: a parse error through {@link #parseError} ({@code FILE:LINE:
     * cannot parse: what}, no parser internals), a JSON value that is not a map as {@code FILE:
     * expected a JSON object}, anything else as {@code FILE: cannot read: what}.
     */
    public static UserInputException readError(Object file, Exception e) {
        if (e instanceof JsonProcessingException j) {
            return parseError(file, j);
        }
        if (e instanceof ClassCastException) { // a JSON value of another kind where a map is read
            return new UserInputException(file + ": expected a JSON object", e);
        }
        String what = e.getMessage() == null ? "unreadable" : e.getMessage();
        return new UserInputException(file + ": cannot read: " + what, e);
    }

    /**
     * A parse error as {@code FILE:LINE: cannot parse: what}: for YAML the line SnakeYAML's problem mark
     * names (Jackson's location is the token before it, often a line early) and its message without the
     * excerpt; for JSON Jackson's own line.
     */
    public static UserInputException parseError(Object file, JsonProcessingException e) {
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        Matcher m = YAML_MARK.matcher(msg);
        int firstMark = -1;
        while (m.find()) {
            if (firstMark < 0) {
                firstMark = m.start();
            }
            line = Long.parseLong(m.group(1)); // the last mark is the problem's
        }
        String what = (firstMark < 0 ? msg : msg.substring(0, firstMark)).strip()
                .replace("\\t(TAB)", "tab").replaceAll("\\s*\\n\\s*", "; ");
        if (what.endsWith(";")) {
            what = what.substring(0, what.length() - 1);
        }
        return UserInputException.at(file, line, null, "cannot parse: " + what);
    }
}
