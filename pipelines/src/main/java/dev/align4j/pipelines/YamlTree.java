package dev.align4j.pipelines;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML file read into a tree with the line each key and list item came from, keyed by dotted
 * path ({@code stages.2.config.max_steps}). A key given twice is an error with its line.
 */
record YamlTree(Path file, ObjectNode root, Map<String, Integer> lines) {

    static YamlTree read(Path file) {
        Map<String, Integer> lines = new HashMap<>();
        ObjectMapper yaml = Json.yaml();
        try (JsonParser p = yaml.createParser(Files.newBufferedReader(file))) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw UserInputException.at(file, first == null ? 0 : lineOf(p), null,
                        "a pipeline must be a map with name, defaults and stages");
            }
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            readObject(file, p, "", root, lines);
            return new YamlTree(file, root, lines);
        } catch (NoSuchFileException e) {
            throw new UserInputException(file + ": no such pipeline file");
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw UserInputException.at(file, line, null, "cannot parse: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Line of {@code path}, else of its nearest parent that has one; 0 if unknown. */
    int line(String path) {
        for (String p = path; p != null; p = parent(p)) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
        }
        return 0;
    }

    private static void readObject(Path file, JsonParser p, String path, ObjectNode into,
            Map<String, Integer> lines) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String child = path.isEmpty() ? name : path + "." + name;
            if (into.has(name)) {
                throw UserInputException.at(file, lineOf(p), child, "key appears twice");
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
        return ((ObjectMapper) p.getCodec()).readTree(p);
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : path.substring(0, dot);
    }

    private static int lineOf(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
