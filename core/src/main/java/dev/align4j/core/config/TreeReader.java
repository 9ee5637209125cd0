package dev.align4j.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a YAML or JSON map into a Jackson tree while recording the line each key and list item came
 * from, by dotted path ({@code lr}, {@code model.d_model}, {@code stages.2.config.max_steps}; list
 * items by index). A key given twice is an error naming both lines. Config files and pipeline files are
 * both read this way, so both point at the same lines.
 */
public final class TreeReader {

    private TreeReader() {
    }

    /**
     * Reads the map whose START_OBJECT {@code p} is on into {@code into}, recording lines in
     * {@code lines}; {@code file} names the source in errors.
     */
    public static void readObject(Path file, JsonParser p, ObjectNode into, Map<String, Integer> lines)
            throws IOException {
        readObject(file, p, "", into, lines);
    }

    /** Line of {@code path}, else of its nearest parent that has one; 0 if unknown. */
    public static int line(Map<String, Integer> lines, String path) {
        for (String p = path; p != null; p = parent(p)) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
        }
        return 0;
    }

    /** {@code a.b} for {@code a.b.c}; null for a top-level key. */
    public static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : path.substring(0, dot);
    }

    /** The line of the parser's current token. */
    public static int lineOf(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static void readObject(Path file, JsonParser p, String path, ObjectNode into,
            Map<String, Integer> lines) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String child = path.isEmpty() ? name : path + "." + name;
            if (into.has(name)) {
                throw UserInputException.at(file, lineOf(p), child, "key appears twice (first on line "
                        + lines.get(child) + ")");
            }
            lines.put(child, lineOf(p));
            p.nextToken();
            into.set(name, readValue(file, p, child, lines));
        }
    }

    private static JsonNode readValue(Path file, JsonParser p, String path, Map<String, Integer> lines)
            throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            readObject(file, p, path, o, lines);
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "." + i++;
                lines.put(child, lineOf(p));
                a.add(readValue(file, p, child, lines));
            }
            return a;
        }
        return ((ObjectMapper) p.getCodec()).readTree(p); // a scalar, null included
    }
}
