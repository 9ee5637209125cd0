package dev.align4j.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.DidYouMean;
import dev.align4j.core.io.Json;
import dev.align4j.pipelines.stage.StageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates a pipeline file before anything runs, collecting every problem (unknown
 * keys per stage kind, unknown kinds, bad references, missing files, values of the wrong type) and
 * throwing them together as one {@link UserInputException}, each with its YAML line.
 *
 * <pre>{@code
 * name: quickstart
 * defaults: {seed: 1}              # given to every stage whose kind takes the key
 * stages:
 *   - name: sft
 *     kind: sft
 *     config: {data: [${synth.sft}], max_steps: 200}
 * }</pre>
 */
public final class PipelineLoader {

    private static final Set<String> TOP_KEYS = Set.of("name", "defaults", "stages");
    private static final Set<String> STAGE_KEYS = Set.of("name", "kind", "config");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern SET_ERROR = Pattern.compile("^--set: ([^:]+): (.*)$", Pattern.DOTALL);
    private static final String NO_FILE = "(no config file) with flags: ";

    private PipelineLoader() {
    }

    /**
     * @param outputDir the pipeline's folder, or null for {@code runs/<name>}
     * @param sets {@code stage.key=value} overrides from the command line
     */
    public static Pipeline load(Path file, Path outputDir, Map<String, String> sets) {
        YamlTree tree = YamlTree.read(file);
        Problems pr = new Problems(tree);
        ObjectNode root = tree.root();
        root.fieldNames().forEachRemaining(k -> {
            if (!TOP_KEYS.contains(k)) {
                pr.add(k, k, "unknown key (a pipeline has name, defaults and stages)");
            }
        });
        String name = name(root.get("name"), "name", pr);
        Path out = outputDir != null ? outputDir : Path.of("runs", name == null ? "pipeline" : name);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            pr.add(Problems.CLI, "--output-dir", out + " exists and is not a folder");
        }
        List<RawStage> raw = stages(root.get("stages"), pr);
        applySets(raw, sets, pr);
        applyDefaults(root.get("defaults"), raw, pr);
        List<PlannedStage> planned = new ArrayList<>();
        References refs = new References(raw, out);
        for (RawStage s : raw) {
            planned.add(plan(s, refs, out, pr));
        }
        pr.throwIfAny();
        return new Pipeline(name, file, out, planned);
    }

    private static String name(JsonNode n, String path, Problems pr) {
        if (n == null || n.isNull()) {
            pr.add(path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "", path, "missing");
            return null;
        }
        if (!n.isTextual() || !NAME.matcher(n.textValue()).matches()) {
            pr.add(path, path, "must be a word of letters, digits, '-' and '_' starting with a letter, got " + n);
            return null;
        }
        return n.textValue();
    }

    private static List<RawStage> stages(JsonNode stages, Problems pr) {
        List<RawStage> out = new ArrayList<>();
        if (stages == null || !stages.isArray() || stages.isEmpty()) {
            pr.add("stages", "stages", "must be a non-empty list of stages");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < stages.size(); i++) {
            String at = "stages." + i;
            JsonNode s = stages.get(i);
            if (!s.isObject()) {
                pr.add(at, at, "a stage must be a map with name, kind and config");
                continue;
            }
            s.fieldNames().forEachRemaining(k -> {
                if (!STAGE_KEYS.contains(k)) {
                    pr.add(at + "." + k, k, "unknown key (a stage has name, kind and config; its settings go under config)");
                }
            });
            String name = name(s.get("name"), at + ".name", pr);
            if (name != null && !seen.add(name)) {
                pr.add(at + ".name", at + ".name", "two stages are named '" + name + "'");
            }
            StageKind kind = kind(s.get("kind"), at + ".kind", pr);
            JsonNode config = s.get("config");
            if (config != null && !config.isObject() && !config.isNull()) {
                pr.add(at + ".config", name + ".config", "must be a map of keys to values");
                config = null;
            }
            if (name != null && kind != null) {
                ObjectNode c = config == null || config.isNull() ? JsonNodeFactory.instance.objectNode()
                        : ((ObjectNode) config).deepCopy();
                out.add(new RawStage(i, name, kind, c));
            }
        }
        return out;
    }

    private static StageKind kind(JsonNode k, String path, Problems pr) {
        if (k == null || !k.isTextual()) {
            pr.add(k == null ? path.substring(0, path.lastIndexOf('.')) : path, path,
                    "missing or not a word (one of " + StageKind.names() + ")");
            return null;
        }
        return StageKind.parse(k.textValue()).orElseGet(() -> {
            pr.add(path, path, "unknown kind '" + k.textValue() + "' (one of " + StageKind.names() + ")");
            return null;
        });
    }

    private static void applySets(List<RawStage> raw, Map<String, String> sets, Problems pr) {
        if (sets == null) {
            return;
        }
        sets.forEach((k, v) -> {
            int dot = k.indexOf('.');
            String stage = dot < 0 ? "" : k.substring(0, dot);
            RawStage s = raw.stream().filter(r -> r.name.equals(stage)).findFirst().orElse(null);
            if (s == null || dot == k.length() - 1) {
                pr.add(Problems.CLI, k, "want STAGE.KEY=VALUE with the name of a stage, got '" + k + "'");
                return;
            }
            String key = k.substring(dot + 1);
            s.config.set(key, parseValue(k, v, pr));
            s.origin.put(key, Problems.CLI);
        });
    }

    /** Like {@code --set} on a stage's own command: {@code [..]} and <code>{..}</code> are YAML, else text. */
    private static JsonNode parseValue(String key, String value, Problems pr) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("[") || v.startsWith("{")) {
            try {
                return Json.yaml().readTree(v);
            } catch (JsonProcessingException e) {
                pr.add(Problems.CLI, key, "cannot parse '" + v + "' as a YAML list or map");
            }
        }
        return TextNode.valueOf(value);
    }

    private static void applyDefaults(JsonNode defaults, List<RawStage> raw, Problems pr) {
        if (defaults == null || defaults.isNull()) {
            return;
        }
        if (!defaults.isObject()) {
            pr.add("defaults", "defaults", "must be a map of keys every stage that takes them inherits");
            return;
        }
        defaults.properties().forEach(e -> {
            boolean taken = false;
            for (RawStage s : raw) {
                if (s.adapter.keys().contains(e.getKey())) {
                    taken = true;
                    if (!s.config.has(e.getKey())) {
                        s.config.set(e.getKey(), e.getValue().deepCopy());
                        s.origin.put(e.getKey(), "defaults." + e.getKey());
                    }
                }
            }
            if (!taken && !raw.isEmpty()) {
                pr.add("defaults." + e.getKey(), "defaults." + e.getKey(), "no stage of this pipeline takes this key");
            }
        });
    }

    private static PlannedStage plan(RawStage s, References refs, Path out, Problems pr) {
        int before = pr.count();
        Set<String> valid = s.adapter.keys();
        s.config.fieldNames().forEachRemaining(k -> {
            if (k.equals("output_dir") || k.equals("resume_from_checkpoint")) {
                pr.add(s.originOf(k), s.name + "." + k, "set by the pipeline (the stage's folder is "
                        + out.resolve(s.name) + "; rerunning resumes an interrupted stage)");
            } else if (!valid.contains(k)) {
                String near = DidYouMean.closest(k, valid);
                pr.add(s.originOf(k), s.name + "." + k, "unknown key for " + article(s.kind) + " stage"
                        + (near == null ? "" : " (did you mean " + near + "?)") + "; valid keys: "
                        + String.join(", ", new TreeSet<>(valid)));
            }
        });
        int keyProblems = pr.count();
        References.Resolved r = refs.resolve(s, (key, what) -> pr.add(s.originOf(key), s.name + "." + key, what));
        checkFiles(s, r, pr);
        Path dir = out.resolve(s.name);
        PlannedStage p = new PlannedStage(s.index, s.name, s.kind, s.adapter, r.config(), dir,
                List.copyOf(r.dependsOn()));
        if (keyProblems == before) { // with unknown keys the stage's own check would only repeat them
            check(s, p, pr);
        }
        return p;
    }

    /** {@code a sft}, {@code an annotate}: the kind's name with its article. */
    private static String article(StageKind kind) {
        String n = kind.configName();
        return ("aeiou".indexOf(n.charAt(0)) >= 0 ? "an " : "a ") + n;
    }

    /**
     * The stage's own binding stops at its first bad value: report it, drop that key and bind again,
     * so every bad value of the stage is reported.
     */
    private static void check(RawStage s, PlannedStage p, Problems pr) {
        ObjectNode config = p.config().deepCopy();
        for (int attempt = 0; attempt <= config.size(); attempt++) {
            try {
                s.adapter.check(new StageConfig(s.name, p.dir(), config, false));
                return;
            } catch (UserInputException e) {
                String key = translate(s, e.getMessage(), pr);
                if (key == null || !config.has(key)) {
                    return;
                }
                config.remove(key);
            }
        }
    }

    private static void checkFiles(RawStage s, References.Resolved r, Problems pr) {
        for (String key : s.adapter.pathKeys()) {
            JsonNode v = r.config().get(key);
            JsonNode raw = s.config.get(key);
            if (v == null || v.isNull()) {
                continue;
            }
            List<JsonNode> values = new ArrayList<>();
            List<JsonNode> raws = new ArrayList<>();
            if (v.isContainerNode()) { // a list of files, or a map of names to files (eval's models)
                v.forEach(values::add);
                raw.forEach(raws::add);
            } else {
                values.add(v);
                raws.add(raw);
            }
            for (int i = 0; i < values.size(); i++) {
                JsonNode item = values.get(i);
                boolean isReference = raws.get(i).isTextual() && raws.get(i).textValue().contains("${");
                if (item.isTextual() && !isReference && !Files.exists(Path.of(item.textValue()))) {
                    pr.add(s.originOf(key), s.name + "." + key, item.textValue() + ": no such file or folder");
                }
            }
        }
    }

    /** A stage's own config error ({@code --set: key: what}) moved to the key's line; returns the key. */
    private static String translate(RawStage s, String message, Problems pr) {
        String badKey = null;
        for (String line : message.split("\n")) {
            Matcher m = SET_ERROR.matcher(line);
            if (m.matches()) {
                String key = m.group(1);
                String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
                pr.add(s.originOf(top), s.name + "." + key, m.group(2));
                badKey = top;
            } else if (line.startsWith(NO_FILE)) {
                pr.add(s.yamlPath(), s.name, line.substring(NO_FILE.length()));
            } else if (!line.startsWith("valid keys:")) {
                pr.add(s.yamlPath(), s.name, line);
            }
        }
        return badKey;
    }
}
