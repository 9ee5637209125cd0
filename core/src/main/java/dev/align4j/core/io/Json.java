package dev.align4j.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's Jackson mappers, configured once. Both use snake_case as the default property
 * naming (explicit {@code @JsonProperty} names win), reject unknown properties so a typo in a config
 * is an error rather than a silently ignored key, and write maps with sorted keys so files diff
 * cleanly. Mappers are thread-safe after configuration; never reconfigure them.
 */
public final class Json {

    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build()).build());

    private Json() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** The shared JSON mapper. */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /** The shared YAML mapper (same settings as {@link #mapper()}). */
    public static ObjectMapper yaml() {
        return YAML;
    }

    /** Pretty JSON text of {@code value}. */
    public static String pretty(Object value) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** One-line JSON text of {@code value} (for JSONL). */
    public static String line(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** Atomically writes pretty JSON to {@code file}. */
    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, pretty(value));
    }

    /** Reads {@code file} as JSON, or YAML when its name ends in .yaml/.yml. */
    public static <T> T read(Path file, Class<T> type) {
        String name = file.getFileName().toString().toLowerCase();
        ObjectMapper m = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        try {
            return m.readValue(Files.readAllBytes(file), type);
        } catch (IOException e) {
            // a user's file (configs, model configs): name it and exit 2 rather than crash
            throw new dev.align4j.core.UserInputException(file + ": " + e.getMessage(), e);
        }
    }
}
