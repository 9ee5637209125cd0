package dev.align4j.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads a YAML or JSON config file into a typed record, then applies overrides from flags.
 *
 * <p>Keys are the records' {@code @JsonProperty} names (snake_case). Overrides are
 * {@code key=value} pairs from {@code --set} or from typed flags; a dotted key ({@code model.d_model})
 * reaches into a nested map. Keys missing from both the file and the overrides reach the record's
 * constructor as null, 0 or false; records put their defaults and cross-field checks in the compact
 * constructor (use a boxed type where 0 is a legal value) and throw {@link IllegalArgumentException}
 * naming the bad value, which comes out as a {@link UserInputException} naming the file.
 *
 * <p>Every mistake is a {@link UserInputException} in the form {@code file:line: key: what}: an
 * unknown key (with the closest valid key and the list of valid keys), a value of the wrong type (with
 * the type expected), a key given twice, a file that does not parse. Values set by a flag are
 * reported as {@code --set: key: what}. An output path ({@link OutputPath}) from the file must stay
 * inside the working directory ({@link OutputPaths}); flags may name any place.
 */
public final class ConfigLoader {

    private static final Logger LOG = LogManager.getLogger(ConfigLoader.class);

    private static final SimpleModule PATHS = new SimpleModule("align4j-config")
            // Jackson writes a Path as a file: URI by default; a config wants the path as typed
            .addSerializer(Path.class, new ToStringSerializer(Path.class));

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(PATHS)
            .build();

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addModule(PATHS)
            .build();

    private ConfigLoader() {}

    /**
     * Reads {@code file} (YAML, or JSON if it ends in {@code .json}; null for none), applies
     * {@code overrides} in order and binds the result to {@code type}.
     */
    public static <T> T load(Path file, Map<String, String> overrides, Class<T> type) {
        ConfigSource src = read(file, overrides);
        Set<String> valid = keys(type);
        checkKeys(src, valid);
        OutputPaths.check(src, type);
        T config = bind(src, src.root(), type);
        LOG.debug("loaded {} from {}", type.getSimpleName(), src.label());
        return config;
    }

    /**
     * Like {@link #load}, for a config whose flat map holds the fields of two records (shared training
     * arguments plus a method's own fields). Each key goes to the record that declares it, to both if
     * both do; a key neither declares is an error.
     */
    public static <A, B> Pair<A, B> loadSplit(Path file, Map<String, String> overrides,
                                              Class<A> first, Class<B> second) {
        Parts parts = loadParts(file, overrides, first, second);
        return new Pair<>(parts.get(first), parts.get(second));
    }

    /**
     * Like {@link #loadSplit} for any number of records: one flat file (plus overrides) whose keys
     * are partitioned by each record's property names (a key several records declare goes to each);
     * a key that no record declares is an error naming the key and the file.
     */
    public static Parts loadParts(Path file, Map<String, String> overrides, Class<?>... types) {
        ConfigSource src = read(file, overrides);
        Set<String> valid = new TreeSet<>();
        for (Class<?> t : types) {
            valid.addAll(keys(t));
        }
        checkKeys(src, valid);
        OutputPaths.check(src, types);
        Map<Class<?>, Object> out = new java.util.LinkedHashMap<>();
        for (Class<?> t : types) {
            Set<String> own = keys(t);
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : src.root().properties()) {
                if (own.contains(e.getKey())) {
                    node.set(e.getKey(), e.getValue().deepCopy());
                }
            }
            out.put(t, bind(src, node, t));
        }
        LOG.debug("loaded {} from {}", out.keySet(), src.label());
        return new Parts(out, src);
    }

    /**
     * The records {@link #loadParts} bound, by type, and where each key came from: checks made after
     * loading (a model, data) that name a key get its file and line through {@link #locate}.
     */
    public static final class Parts {
        private final Map<Class<?>, Object> values;
        private final ConfigSource source;

        Parts(Map<Class<?>, Object> values, ConfigSource source) {
            this.values = values;
            this.source = source;
        }

        public Map<Class<?>, Object> values() {
            return values;
        }

        public <T> T get(Class<T> type) {
            Object v = values.get(type);
            if (v == null) {
                throw new IllegalArgumentException("no config part of type " + type.getSimpleName());
            }
            return type.cast(v);
        }

        /**
         * {@code e} at the line of the key its message starts with ({@code "lora_target_modules: 'x'
         * matches no linear layer"} becomes {@code "FILE:LINE: lora_target_modules: ..."}, or
         * {@code "--set: ..."} when a flag set it); {@code e} itself when the message names no key of
         * this config or already names a place.
         */
        public UserInputException locate(UserInputException e) {
            Set<String> valid = new TreeSet<>();
            values.keySet().forEach(t -> valid.addAll(keys(t)));
            return ConfigLocations.locate(source, valid, e);
        }

        /** Runs {@code work}, passing any bad-input error it throws through {@link #locate}. */
        public <T> T locating(java.util.function.Supplier<T> work) {
            try {
                return work.get();
            } catch (UserInputException e) {
                throw locate(e);
            }
        }
    }

    /**
     * {@link Parts#locate} for a command that did not keep its Parts: reads {@code file} and
     * {@code overrides} again (only on this error path) to find the line of the key {@code e} names.
     */
    public static UserInputException locate(Path file, Map<String, String> overrides, UserInputException e) {
        ConfigSource src;
        try {
            src = read(file, overrides);
        } catch (UserInputException unreadable) {
            return e;
        }
        return ConfigLocations.locate(src, Set.of(), e);
    }

    /** The top-level keys {@code type} accepts, in declaration order. */
    public static Set<String> keys(Class<?> type) {
        return ConfigKeys.of(JSON, type);
    }

    /** The records as one flat JSON object, in order; a key in several parts keeps the last value. */
    public static ObjectNode toTree(Object... parts) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        for (Object part : parts) {
            JsonNode node = JSON.valueToTree(part);
            if (!node.isObject()) {
                throw new IllegalArgumentException("not a config record: " + part);
            }
            merged.setAll((ObjectNode) node);
        }
        return merged;
    }

    /** {@link #toTree} as indented JSON, the form {@link #load} and {@link #loadSplit} read back. */
    public static String toJson(Object... parts) {
        try {
            return JSON.writeValueAsString(toTree(parts)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config as JSON", e);
        }
    }

    /** Writes {@link #toJson} to {@code file} with {@link AtomicFiles} (temp + fsync + rename), so readers never see half. */
    public static void writeJson(Path file, Object... parts) {
        AtomicFiles.writeString(file, toJson(parts));
    }

    private static ConfigSource read(Path file, Map<String, String> overrides) {
        boolean json = file != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        ConfigSource src = ConfigSource.read(file, json ? JSON : YAML);
        if (overrides != null) {
            overrides.forEach((k, v) -> src.override(k, v, YAML));
        }
        return src;
    }

    /** Fails on the top-level keys not in {@code valid}, all of them in one message. */
    private static void checkKeys(ConfigSource src, Set<String> valid) {
        List<String> problems = new ArrayList<>();
        src.root().fieldNames().forEachRemaining(key -> {
            if (!valid.contains(key)) {
                String near = DidYouMean.closest(key, valid);
                problems.add(src.error(key, "unknown key"
                        + (near == null ? "" : " (did you mean " + near + "?)")).getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new UserInputException(String.join("\n", problems)
                    + "\nvalid keys: " + String.join(", ", valid));
        }
    }

    private static <T> T bind(ConfigSource src, ObjectNode node, Class<T> type) {
        try {
            return JSON.treeToValue(withDefaults(node, type), type);
        } catch (UnrecognizedPropertyException e) {
            String path = pathOf(e);
            Collection<String> known = e.getKnownPropertyIds().stream().map(String::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
            String near = DidYouMean.closest(e.getPropertyName(), known);
            throw src.error(path, "unknown key" + (near == null ? "" : " (did you mean " + near + "?)")
                    + "; valid keys here: " + String.join(", ", known));
        } catch (ValueInstantiationException e) {
            // the record's constructor rejected the values: its message names them
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String path = pathOf(e);
            String what = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            if (path.isEmpty()) {
                throw ConfigLocations.located(src, node, what, cause);
            }
            throw src.error(path, what);
        } catch (MismatchedInputException e) {
            String path = pathOf(e);
            throw src.error(path, "cannot read " + describe(src.root(), path) + " as "
                    + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw src.error(pathOf(e), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw src.error("", e.getOriginalMessage());
        }
    }

    /**
     * {@code node} over the values of {@code type}'s {@code public static T defaults()} when it has
     * one (TrainingArgs does), so a partial file keeps those defaults instead of reaching the
     * constructor with 0 and false; null defaults are left out.
     */
    private static ObjectNode withDefaults(ObjectNode node, Class<?> type) {
        java.lang.reflect.Method m;
        try {
            m = type.getMethod("defaults");
        } catch (NoSuchMethodException e) {
            return node;
        }
        if (!java.lang.reflect.Modifier.isStatic(m.getModifiers()) || m.getReturnType() != type) {
            return node;
        }
        ObjectNode merged;
        try {
            merged = JSON.valueToTree(m.invoke(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + ".defaults()", e);
        }
        List<String> nulls = new ArrayList<>();
        merged.fieldNames().forEachRemaining(k -> {
            if (merged.get(k).isNull()) {
                nulls.add(k);
            }
        });
        merged.remove(nulls);
        merged.setAll(node);
        return merged;
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }

    /** The value at dotted {@code path} as it would appear in a message. */
    private static String describe(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.isEmpty() ? new String[0] : path.split("\\.")) {
            node = node.isArray() && part.chars().allMatch(Character::isDigit)
                    ? node.path(Integer.parseInt(part)) : node.path(part);
        }
        if (node.isMissingNode()) {
            return "the value";
        }
        if (node.isObject()) {
            return "a map";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isTextual() ? '"' + node.textValue() + '"' : node.toString();
    }

    /** What a value of {@code type} looks like to someone writing YAML. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "the type expected";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a map";
        }
        return "a " + type.getSimpleName();
    }
}
