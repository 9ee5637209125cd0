package dev.align4j.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${stage.output}} in a stage's string values (top level, in lists and in nested
 * maps) with the path of that output, {@code <output-dir>/<stage>/<file>}. A reference must name an
 * earlier stage and one of its kind's outputs.
 */
final class References {

    static final Pattern REF = Pattern.compile("\\$\\{([^}.]+)\\.([^}]+)}");

    private final List<RawStage> stages;
    private final Path outputDir;

    References(List<RawStage> stages, Path outputDir) {
        this.stages = stages;
        this.outputDir = outputDir;
    }

    /** The result of resolving one stage. */
    record Resolved(ObjectNode config, Set<String> dependsOn, Set<String> fromReferences) {
    }

    /** Resolves {@code s}'s config; each bad reference goes to {@code problem} as (key, message). */
    Resolved resolve(RawStage s, BiConsumer<String, String> problem) {
        ObjectNode out = s.config.deepCopy();
        Set<String> deps = new TreeSet<>();
        Set<String> refKeys = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : s.config.properties()) {
            String key = e.getKey();
            out.set(key, walk(e.getValue(), s, key, deps, refKeys, problem));
        }
        return new Resolved(out, deps, refKeys);
    }

    private JsonNode walk(JsonNode v, RawStage s, String key, Set<String> deps, Set<String> refKeys,
            BiConsumer<String, String> problem) {
        if (v.isTextual()) {
            return TextNode.valueOf(substitute(v.textValue(), s, key, deps, refKeys, problem));
        }
        if (v.isArray()) {
            ArrayNode a = ((ArrayNode) v).arrayNode();
            v.forEach(item -> a.add(walk(item, s, key, deps, refKeys, problem)));
            return a;
        }
        if (v.isObject()) {
            ObjectNode o = ((ObjectNode) v).objectNode();
            v.properties().forEach(e -> o.set(e.getKey(), walk(e.getValue(), s, key, deps, refKeys, problem)));
            return o;
        }
        return v;
    }

    private String substitute(String text, RawStage s, String key, Set<String> deps, Set<String> refKeys,
            BiConsumer<String, String> problem) {
        Matcher m = REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String target = m.group(1);
            String output = m.group(2);
            String path = pathOf(s, target, output, key, problem);
            if (path != null) {
                deps.add(target);
                refKeys.add(key);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(path == null ? m.group() : path));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String pathOf(RawStage s, String target, String output, String key, BiConsumer<String, String> problem) {
        RawStage t = stages.stream().filter(r -> r.name.equals(target)).findFirst().orElse(null);
        String ref = "${" + target + "." + output + "}";
        if (t == null) {
            problem.accept(key, ref + ": no stage named '" + target + "'");
            return null;
        }
        if (t.index >= s.index) {
            problem.accept(key, ref + ": stage '" + target + "' does not run before '" + s.name
                    + "' (a stage can only use the outputs of earlier stages)");
            return null;
        }
        String rel = t.adapter.outputs().get(output);
        if (rel == null) {
            problem.accept(key, ref + ": a " + t.kind.configName() + " stage has no output '" + output
                    + "' (outputs: " + String.join(", ", new TreeSet<>(t.adapter.outputs().keySet())) + ")");
            return null;
        }
        Path dir = outputDir.resolve(target);
        return (rel.equals(".") ? dir : dir.resolve(rel)).normalize().toString();
    }
}
