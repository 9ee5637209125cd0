package dev.align4j.pipelines;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.pipelines.stage.Stage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage as read, before references are resolved: its config block and, for each key, where the
 * value came from (its path in the file, {@code defaults.KEY}, or {@link Problems#CLI}).
 */
final class RawStage {

    final int index;
    final String name;
    final StageKind kind;
    final Stage adapter;
    final ObjectNode config;
    final Map<String, String> origin = new LinkedHashMap<>();

    RawStage(int index, String name, StageKind kind, ObjectNode config) {
        this.index = index;
        this.name = name;
        this.kind = kind;
        this.adapter = kind.adapter();
        this.config = config;
        config.fieldNames().forEachRemaining(k -> origin.put(k, "stages." + index + ".config." + k));
    }

    String yamlPath() {
        return "stages." + index;
    }

    String originOf(String key) {
        return origin.getOrDefault(key, yamlPath());
    }
}
