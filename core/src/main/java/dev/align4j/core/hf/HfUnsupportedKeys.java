package dev.align4j.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code config.json} keys that change a model's math and that align4j does not implement,
 * with the value that makes each harmless, and the RoPE keys in both shapes transformers writes:
 * v4 keeps {@code rope_theta} at the top level and scaling in {@code rope_scaling}; v5 keeps both
 * in a {@code rope_parameters} block. A key at its neutral value (or absent, or null) is accepted;
 * any other value is refused by name, never ignored.
 */
final class HfUnsupportedKeys {

    /** A key, when its value is harmless, and what to say otherwise. */
    private record Rule(String key, Predicate<JsonNode> neutral, String expected) {}

    private static final List<Rule> RULES = List.of(
            new Rule("attn_logit_softcapping", JsonNode::isNull, "null (no soft-capping)"),
            new Rule("final_logit_softcapping", JsonNode::isNull, "null (no soft-capping)"),
            new Rule("partial_rotary_factor", n -> n.isNumber() && n.asDouble() == 1.0,
                    "1.0 (rotary embedding on the whole head)"),
            new Rule("sliding_window", JsonNode::isNull, "null (full attention)"),
            // newer configs list each layer's attention; align4j's layers all attend in full
            new Rule("layer_types", HfUnsupportedKeys::allFullAttention,
                    "\"full_attention\" in every layer"));

    private static boolean allFullAttention(JsonNode n) {
        if (!n.isArray()) {
            return false;
        }
        for (JsonNode t : n) {
            if (!t.asText().equals("full_attention")) {
                return false;
            }
        }
        return true;
    }

    /** The blocks that may hold RoPE settings: v4's {@code rope_scaling}, v5's {@code rope_parameters}. */
    private static final List<String> ROPE_BLOCKS = List.of("rope_scaling", "rope_parameters");

    /** The one RoPE type align4j implements: plain rotary embedding. */
    private static final String DEFAULT_TYPE = "default";

    private HfUnsupportedKeys() {}

    /** Refuses every key of {@link #RULES} set to a non-neutral value (top level or in a RoPE block). */
    static void refuse(HfJson json) {
        JsonNode root = json.root();
        for (Rule rule : RULES) {
            if (rule.key.equals("sliding_window") && !root.path("use_sliding_window").asBoolean(true)) {
                continue; // Qwen2-style configs keep a window size but switch it off
            }
            check(json, rule, rule.key, root.get(rule.key));
            for (String block : ROPE_BLOCKS) {
                check(json, rule, block + "." + rule.key, root.path(block).get(rule.key));
            }
        }
    }

    private static void check(HfJson json, Rule rule, String name, JsonNode value) {
        if (value != null && !value.isNull() && !rule.neutral.test(value)) {
            throw json.error(name, value + " is not supported; align4j"
                    + " implements only " + rule.expected);
        }
    }

    /**
     * The RoPE base from {@code rope_parameters.rope_theta} (v5), {@code rope_theta} (v4) or
     * {@code rope_scaling.rope_theta}, which must agree where several are present; refuses any
     * RoPE type but plain ("default").
     */
    static double ropeTheta(HfJson json, double fallback) {
        JsonNode root = json.root();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        addTheta(json, "rope_theta", root.get("rope_theta"), names, values);
        for (String block : ROPE_BLOCKS) {
            JsonNode b = root.get(block);
            if (b == null || b.isNull()) {
                continue;
            }
            if (!b.isObject()) {
                throw json.error(block, "expected an object or null, got " + b);
            }
            ropeType(json, block, b);
            addTheta(json, block + ".rope_theta", b.get("rope_theta"), names, values);
        }
        for (int i = 1; i < values.size(); i++) {
            if (!values.get(i).equals(values.get(0))) {
                throw UserInputException.at(json.file(), json.line(names.get(i)),
                        names.get(0) + ", " + names.get(i), "disagree (" + values.get(0)
                        + " on line " + json.line(names.get(0)) + " vs " + values.get(i)
                        + " on line " + json.line(names.get(i)) + "); keep one");
            }
        }
        return values.isEmpty() ? fallback : values.get(0);
    }

    private static void addTheta(HfJson json, String name, JsonNode n, List<String> names,
            List<Double> values) {
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isNumber() || n.asDouble() <= 0) {
            throw json.error(name, "expected a positive number, got " + n);
        }
        names.add(name);
        values.add(n.asDouble());
    }

    /** Accepts a block whose {@code rope_type} (or v4's {@code type}) is "default", else refuses. */
    private static void ropeType(HfJson json, String block, JsonNode b) {
        String key = b.has("rope_type") ? "rope_type" : b.has("type") ? "type" : null;
        if (key == null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
                String k = it.next().getKey();
                if (!k.equals("rope_theta") && !k.equals("partial_rotary_factor")) {
                    throw json.error(block + "." + k, "set without a rope_type;"
                            + " align4j implements plain RoPE (rope_type 'default')");
                }
            }
            return;
        }
        String type = b.get(key).asText();
        if (!type.equals(DEFAULT_TYPE)) {
            throw json.error(block + "." + key, "'" + type + "' is not"
                    + " supported; align4j implements plain RoPE (rope_type 'default')");
        }
    }
}
