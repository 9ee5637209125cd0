package dev.align4j.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One config as a tree, with the line each value came from and the keys that flags replaced. Paths
 * are dotted: {@code lr}, {@code model.d_model}, {@code stages.0.name} (list items by index).
 */
final class ConfigSource {

    static final String OVERRIDE = "--set";

    private final Path file;
    private final ObjectNode root;
    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, String> overridden = new LinkedHashMap<>();

    private ConfigSource(Path file) {
        this.file = file;
        this.root = JsonNodeFactory.instance.objectNode();
    }

    /** Reads {@code file} (null: an empty config) with {@code mapper}, recording lines. */
    static ConfigSource read(Path file, ObjectMapper mapper) {
        ConfigSource src = new ConfigSource(file);
        if (file == null) {
            return src;
        }
        try (JsonParser p = mapper.createParser(TextFiles.readUtf8(file, "config file"))) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return src; // an empty file is an empty config
            }
            if (first != JsonToken.START_OBJECT) {
                throw UserInputException.at(file, TreeReader.lineOf(p), null,
                        "a config must be a map of keys to values, found " + describeToken(first));
            }
            TreeReader.readObject(file, p, src.root, src.lines);
            return src;
        } catch (JsonProcessingException e) {
            throw TextFiles.parseError(file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config " + file, e);
        }
    }

    /**
     * Replaces the value at dotted {@code key} with {@code value}, creating maps on the way. Values
     * starting with {@code [} or <code>{</code> are read as YAML flow lists or maps; anything else
     * stays text, and Jackson's scalar coercion turns it into the number, boolean or enum the record
     * asks for.
     */
    void override(String key, String value, ObjectMapper yaml) {
        if (key == null || key.isBlank() || key.startsWith(".") || key.endsWith(".")) {
            throw new UserInputException(OVERRIDE + ": '" + key + "' is not a valid key");
        }
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.get(parts[i]);
            if (next == null || next.isNull()) {
                next = node.putObject(parts[i]);
            } else if (!next.isObject()) {
                throw UserInputException.at(OVERRIDE, 0, key,
                        String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + " is not a map");
            }
            node = (ObjectNode) next;
        }
        node.set(parts[parts.length - 1], parseValue(key, value, yaml));
        overridden.put(key, value);
    }

    private static JsonNode parseValue(String key, String value, ObjectMapper yaml) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("[") || v.startsWith("{")) {
            try {
                return yaml.readTree(v);
            } catch (JsonProcessingException e) {
                throw UserInputException.at(OVERRIDE, 0, key,
                        "cannot parse '" + v + "' as a YAML list or map: " + e.getOriginalMessage());
            }
        }
        return TextNode.valueOf(value);
    }

    ObjectNode root() {
        return root;
    }

    Path file() {
        return file;
    }

    boolean hasOverrides() {
        return !overridden.isEmpty();
    }

    /** The file name for messages, or a stand-in when there is no file. */
    String label() {
        return file == null ? "(no config file)" : file.toString();
    }

    /** Whether {@code path} or one of its parents was set by a flag. */
    boolean fromOverride(String path) {
        for (String p = path; p != null; p = TreeReader.parent(p)) {
            if (overridden.containsKey(p)) {
                return true;
            }
        }
        return false;
    }

    /** Line of {@code path} in the file, or of its nearest parent that has one; 0 if unknown. */
    long line(String path) {
        return TreeReader.line(lines, path);
    }

    /** {@code file:line: path: what}, or {@code --set: path: what} when a flag set the value. */
    UserInputException error(String path, String what) {
        if (fromOverride(path)) {
            return UserInputException.at(OVERRIDE, 0, path, what);
        }
        return UserInputException.at(label(), line(path), path.isEmpty() ? null : path, what);
    }

    private static String describeToken(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            default -> "a single value";
        };
    }
}
