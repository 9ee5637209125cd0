package dev.align4j.core.hf;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TreeReader;
import dev.align4j.core.io.Safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@code config.json} read in one pass with the line of every key ({@link TreeReader}, the reader
 * of our YAML and JSON configs), so that each refusal reads {@code FILE:LINE: key: what}. A key
 * given twice is refused naming both lines. A key that is absent (a default applies) is reported
 * at the line of the opening brace.
 *
 * @param file the file, for messages
 * @param root the top-level object
 * @param lines the line of each key by dotted path ({@code rope_parameters.rope_type})
 * @param start the line of the opening brace
 */
record HfJson(Path file, ObjectNode root, Map<String, Integer> lines, int start) {

    /** Reads {@code file}: a JSON object, or a {@link UserInputException} naming file and line. */
    static HfJson read(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(file + ": is a folder, expected a JSON file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file + ": file not found");
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = Safetensors.JSON.createParser(file.toFile())) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw UserInputException.at(file, first == null ? 0 : TreeReader.lineOf(p), null,
                        first == null ? "empty file, expected a JSON object" : "not a JSON object");
            }
            int start = TreeReader.lineOf(p);
            TreeReader.readObject(file, p, root, lines);
            if (p.nextToken() != null) {
                throw UserInputException.at(file, TreeReader.lineOf(p), null,
                        "text after the end of the JSON object");
            }
            return new HfJson(file, root, lines, start);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            UserInputException u = UserInputException.at(file, line, null,
                    "invalid JSON: " + e.getOriginalMessage());
            u.initCause(e);
            throw u;
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The line of dotted {@code key}, else of its nearest parent, else of the opening brace. */
    int line(String key) {
        int l = key == null ? 0 : TreeReader.line(lines, key);
        return l > 0 ? l : start;
    }

    /** {@code FILE:LINE: key: what}. */
    UserInputException error(String key, String what) {
        return UserInputException.at(file, line(key), key, what);
    }

    /** The top-level value of {@code key}, or null when absent. */
    JsonNode get(String key) {
        return root.get(key);
    }
}
