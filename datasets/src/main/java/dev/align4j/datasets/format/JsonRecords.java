package dev.align4j.datasets.format;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Streams the JSON objects of a file, each with its line: a JSON array ({@code [ {...}, ... ]}) or
 * JSON Lines (one object per line), optionally gzip-compressed (recognised by its magic bytes, not
 * the name). Bytes must be UTF-8; anything else is reported, never silently replaced.
 *
 * <p>In JSON Lines a bad line is a {@link Raw} with an error, so callers may skip it; in a JSON
 * array a syntax or encoding error ends the file, because the parser cannot find the next record.
 */
public final class JsonRecords {

    /** One record, or the reason a line could not be read (then {@code node} is null). */
    public record Raw(Source source, JsonNode node, String error) {
    }

    private static final ObjectMapper JSON = Json.mapper();

    private JsonRecords() {
    }

    /** Calls {@code sink} with every record of {@code file} in order. */
    public static void read(Path file, Consumer<Raw> sink) {
        try (InputStream in = open(file)) {
            in.mark(1 << 15);
            int first;
            do {
                first = in.read();
            } while (first == ' ' || first == '\n' || first == '\r' || first == '\t' || first == 0xEF || first == 0xBB || first == 0xBF);
            in.reset();
            if (first == '[') {
                readArray(file, in, sink);
            } else {
                readLines(file, in, sink);
            }
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": no such file");
        }
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static void readArray(Path file, InputStream in, Consumer<Raw> sink) throws IOException {
        // Jackson's byte parser checks UTF-8 itself and knows the line of a bad byte; a decoding
        // Reader would fail a whole buffer ahead of the parser, without a usable position
        try (JsonParser p = JSON.getFactory().createParser(in)) {
            p.nextToken(); // START_ARRAY
            while (true) {
                JsonToken t;
                try {
                    t = p.nextToken();
                } catch (JsonParseException e) {
                    throw syntax(file, e);
                } catch (java.io.EOFException | java.util.zip.ZipException e) {
                    throw brokenGzip(file, p.currentLocation().getLineNr(), e);
                }
                if (t == JsonToken.END_ARRAY || t == null) {
                    return;
                }
                long line = p.currentTokenLocation().getLineNr();
                Source src = new Source(file, line);
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    sink.accept(new Raw(src, null, "expected a JSON object, got " + t.asString()));
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(p);
                } catch (JsonParseException e) {
                    throw syntax(file, e);
                } catch (java.io.EOFException | java.util.zip.ZipException e) {
                    throw brokenGzip(file, p.currentLocation().getLineNr(), e);
                }
                sink.accept(new Raw(src, node, null));
            }
        }
    }

    /** JSON Lines, split on raw bytes so that one undecodable line does not end the file. */
    private static void readLines(Path file, InputStream in, Consumer<Raw> sink) throws IOException {
        CharsetDecoder utf8 = strictUtf8();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
        long line = 0;
        int b;
        boolean eof = false;
        while (!eof) {
            buf.reset();
            try {
                while ((b = in.read()) != -1 && b != '\n') {
                    buf.write(b);
                }
            } catch (java.io.EOFException | java.util.zip.ZipException e) {
                throw brokenGzip(file, line + 1, e);
            }
            eof = b == -1;
            if (eof && buf.size() == 0) {
                return;
            }
            line++;
            Source src = new Source(file, line);
            String text;
            try {
                text = utf8.reset().decode(ByteBuffer.wrap(buf.toByteArray())).toString();
            } catch (CharacterCodingException e) {
                sink.accept(new Raw(src, null, "invalid UTF-8"));
                continue;
            }
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte-order mark some editors write
            }
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonParseException e) {
                // a JSON object over several lines is neither JSON Lines nor a list of records
                String shape = line == 1 && text.strip().startsWith("{") && !text.strip().endsWith("}")
                        ? " (a data file is a JSON list of records [{...}, ...] or JSON Lines, one record per line)" : "";
                sink.accept(new Raw(src, null, "invalid JSON: " + brief(e) + shape));
                continue;
            }
            sink.accept(node.isObject() ? new Raw(src, node, null)
                    : new Raw(src, null, "expected a JSON object, got " + node.getNodeType().name().toLowerCase()));
        }
    }

    /** The compressed data stops or breaks at {@code line}: a file cut short in a copy or download. */
    private static UserInputException brokenGzip(Path file, long line, IOException e) {
        return UserInputException.at(file, line, null, "gzip data truncated or corrupt here ("
                + (e.getMessage() == null ? "unexpected end" : e.getMessage()) + "); the lines before it were read");
    }

    private static UserInputException syntax(Path file, JsonParseException e) {
        long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        boolean encoding = e.getOriginalMessage().startsWith("Invalid UTF-8");
        return UserInputException.at(file, line, null, encoding ? "invalid UTF-8" : "invalid JSON: " + brief(e));
    }

    /** Jackson's message without its location and source excerpt (the caller prints file:line). */
    private static String brief(JsonParseException e) {
        String m = e.getOriginalMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        // "(start marker at [Source: REDACTED ...; line: 1, column: 10])": parser internals
        return m.replaceAll("\\s*\\(start marker at \\[Source:.*?line: (\\d+), column: (\\d+)\\]\\)",
                " (opened on line $1, column $2)");
    }
}
