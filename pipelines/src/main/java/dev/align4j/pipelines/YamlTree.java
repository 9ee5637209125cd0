package dev.align4j.pipelines;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.config.TreeReader;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        try (JsonParser p = yaml.createParser(TextFiles.readUtf8(file, "pipeline file"))) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw UserInputException.at(file, first == null ? 0 : TreeReader.lineOf(p), null,
                        "a pipeline must be a map with name, defaults and stages");
            }
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            TreeReader.readObject(file, p, root, lines);
            return new YamlTree(file, root, lines);
        } catch (JsonProcessingException e) {
            throw TextFiles.parseError(file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Line of {@code path}, else of its nearest parent that has one; 0 if unknown. */
    int line(String path) {
        return TreeReader.line(lines, path);
    }
}
