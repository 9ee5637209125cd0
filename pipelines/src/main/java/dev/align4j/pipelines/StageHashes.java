package dev.align4j.pipelines;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What decides whether a finished stage is still up to date: the SHA-256 of its kind and resolved
 * config, and the SHA-256 over the content of every existing file or folder its string values name
 * (inputs from earlier stages included) or the adapter names inside a value
 * ({@link dev.align4j.pipelines.stage.Stage#embeddedPaths}), in sorted path order.
 */
public record StageHashes(@JsonProperty("config_hash") String config, @JsonProperty("inputs_hash") String inputs) {

    public static StageHashes of(PlannedStage s) {
        String config = Hashing.sha256(s.kind().configName() + "\n" + Json.line(s.config()));
        TreeSet<String> paths = new TreeSet<>();
        collect(s.config(), paths);
        for (String p : s.adapter().embeddedPaths(s.config())) {
            if (looksLikePath(p) && Files.exists(Path.of(p))) {
                paths.add(p);
            }
        }
        List<Path> existing = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (String p : paths) {
            Path path = Path.of(p);
            existing.add(path);
            names.append(p).append('\n');
        }
        String content = existing.isEmpty() ? "" : Hashing.sha256(existing.toArray(Path[]::new));
        return new StageHashes(config, Hashing.sha256(names + content));
    }

    private static void collect(JsonNode v, TreeSet<String> paths) {
        if (v.isTextual()) {
            String t = v.textValue();
            if (!t.isEmpty() && t.length() < 4096 && looksLikePath(t) && Files.exists(Path.of(t))) {
                paths.add(t);
            }
        } else if (v.isContainerNode()) {
            v.forEach(child -> collect(child, paths));
        }
    }

    private static boolean looksLikePath(String t) {
        try {
            Path.of(t);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
