package dev.align4j.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import java.lang.reflect.RecordComponent;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The containment rule for output paths a config file names ({@link OutputPath} keys such as
 * {@code output_dir}): a config file may only write inside the working directory, the root its
 * relative paths are read against. Its output paths must be relative and, once {@code .} and
 * {@code ..} are resolved, must not climb out of it ({@code runs/x} and {@code runs/../runs/x} are
 * fine; {@code ../x}, {@code runs/../../x} and {@code /etc/x} are not). The check is lexical: a
 * symbolic link inside the working directory (say {@code runs -> /data/runs}) is the user's own
 * choice and is followed. Values given on the command line ({@code --output-dir}, {@code --set
 * output_dir=...}) are the user's explicit choice and are not restricted; so a config file found
 * on disk cannot make a run write over files elsewhere.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * Why {@code value}, an output path from a config file, is refused, or null when it stays
     * inside the working directory.
     */
    public static String escape(String value) {
        Path p;
        try {
            p = Path.of(value);
        } catch (InvalidPathException e) {
            return "'" + value + "' is not a valid path";
        }
        if (p.isAbsolute() || value.startsWith("/") || value.startsWith("\\")) {
            return "'" + value + "' is an absolute path";
        }
        Path n = p.normalize();
        if (n.getNameCount() > 0 && n.getName(0).toString().equals("..")) {
            return "'" + value + "' leaves the working directory";
        }
        return null;
    }

    /** The config keys of {@code type}'s components marked {@link OutputPath}. */
    static Set<String> keys(Class<?> type) {
        Set<String> keys = new LinkedHashSet<>();
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            return keys;
        }
        for (RecordComponent c : components) {
            if (c.isAnnotationPresent(OutputPath.class)) {
                JsonProperty json = c.getAccessor().getAnnotation(JsonProperty.class);
                keys.add(json == null || json.value().isEmpty() ? c.getName() : json.value());
            }
        }
        return keys;
    }

    /** Refuses, all in one message, the file-given output paths of {@code types} that escape. */
    static void check(ConfigSource src, Class<?>... types) {
        Set<String> keys = new LinkedHashSet<>();
        for (Class<?> t : types) {
            keys.addAll(keys(t));
        }
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            JsonNode v = src.root().get(key);
            if (v == null || !v.isTextual() || src.fromOverride(key)) {
                continue; // absent, a type error reported by binding, or given on the command line
            }
            String why = escape(v.textValue());
            if (why != null) {
                problems.add(src.error(key, why + "; an output path in a config file must stay inside"
                        + " the working directory (e.g. runs/NAME); to write elsewhere give it on the"
                        + " command line (--set " + key + "=PATH, or the command's own flag)").getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UserInputException(String.join("\n", problems));
        }
    }
}
