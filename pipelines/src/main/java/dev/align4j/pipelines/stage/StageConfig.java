package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.io.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage's resolved config block (defaults merged, {@code ${stage.output}} references replaced by
 * paths) and its folder.
 *
 * @param name the stage's name
 * @param dir the stage's run folder, {@code <output-dir>/<name>}
 * @param values the config block
 * @param resume continue from the latest checkpoint in {@code dir}
 */
public record StageConfig(String name, Path dir, ObjectNode values, boolean resume) {

    /**
     * The block as the text key/value pairs {@link ConfigLoader} takes as overrides: scalars as
     * their text, lists and maps as JSON (YAML flow syntax); nulls left out.
     */
    public Map<String, String> asText() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : values.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            out.put(e.getKey(), v.isContainerNode() ? Json.line(v) : v.asText());
        }
        return out;
    }

    /** {@link #asText()} plus {@code output_dir} and, when resuming, {@code resume_from_checkpoint}. */
    public Map<String, String> asTrainerText() {
        Map<String, String> out = asText();
        out.put("output_dir", dir.toString());
        if (resume) {
            out.put("resume_from_checkpoint", "latest");
        }
        return out;
    }

    /** The block bound to one of the pipeline's own config records (synth, pairs, eval ...). */
    public <T> T bind(Class<T> type) {
        return ConfigLoader.load(null, asText(), type);
    }

    /** A text value, or null when absent. */
    public String text(String key) {
        JsonNode v = values.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
