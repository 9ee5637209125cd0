package dev.align4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.config.Pair;
import dev.align4j.core.io.Json;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --set KEY=VALUE} for any command with a config record. Use it as a
 * mixin, and pass the command's typed flags by config key:
 *
 * <pre>{@code
 * @Mixin ConfigOptions config;
 * @Option(names = "--output-dir") Path outputDir;
 * @Option(names = "--max-steps") Integer maxSteps;
 * ...
 * Pair<TrainingArgs, DpoConfig> c = config.loadSplit(TrainingArgs.class, DpoConfig.class,
 *         ConfigOptions.flags("output_dir", outputDir, "max_steps", maxSteps));
 * }</pre>
 *
 * Order of precedence: the file, then {@code --set}, then typed flags that were given (null means not
 * given).
 */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML or JSON config file (snake_case keys); flags override its values.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one config key (repeatable). Dotted keys reach nested maps "
                    + "(model.d_model=128); lists as [a, b].")
    Map<String, String> set = new LinkedHashMap<>();

    /** The config file, or null if none was given. */
    public Path file() {
        return file;
    }

    /** {@code --set} pairs followed by the non-null {@code typedFlags}, as text. */
    public Map<String, String> overrides(Map<String, ?> typedFlags) {
        Map<String, String> out = new LinkedHashMap<>(set);
        typedFlags.forEach((key, value) -> {
            if (value != null) {
                out.remove(key); // re-insert so the typed flag is applied last
                out.put(key, asText(value));
            }
        });
        return out;
    }

    public <T> T load(Class<T> type, Map<String, ?> typedFlags) {
        return ConfigLoader.load(file, overrides(typedFlags), type);
    }

    /** {@link ConfigLoader#loadParts} on this command's file, {@code --set} and typed flags. */
    public ConfigLoader.Parts loadParts(Map<String, ?> typedFlags, Class<?>... types) {
        return ConfigLoader.loadParts(file, overrides(typedFlags), types);
    }

    public <A, B> Pair<A, B> loadSplit(Class<A> first, Class<B> second, Map<String, ?> typedFlags) {
        return ConfigLoader.loadSplit(file, overrides(typedFlags), first, second);
    }

    /**
     * Runs {@code work} (a run's validation: loading the model, checking PEFT targets against it); a
     * bad-input error that starts with a key of this config gets the file and line of that key
     * ({@code sft.yaml:12: lora_target_modules: ...}).
     */
    public <T> T locating(Map<String, ?> typedFlags, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (UserInputException e) {
            throw ConfigLoader.locate(file, overrides(typedFlags), e);
        }
    }

    /** Key/value pairs in order; unlike {@code Map.of}, values may be null (flag not given). */
    public static Map<String, Object> flags(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("flags() takes key, value pairs");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /**
     * {@code value} when it is null (flag not given) or at least {@code min}; else exit 2 naming the
     * flag: {@code --max-steps: must be >= 1, got -1} (in a config, HF's -1 means "use the epochs"; on
     * the command line a count is meant).
     */
    public static <N extends Number> N atLeast(String flag, N value, long min) {
        if (value != null && value.longValue() < min) {
            throw new UserInputException(flag + ": must be >= " + min + ", got " + value);
        }
        return value;
    }

    private static String asText(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Collection<?> || value instanceof Map<?, ?> || value.getClass().isArray()) {
            try {
                return Json.mapper().writeValueAsString(value); // JSON is YAML flow syntax
            } catch (JsonProcessingException ex) {
                throw new IllegalArgumentException("cannot pass " + value + " as a config value", ex);
            }
        }
        return value.toString();
    }
}
