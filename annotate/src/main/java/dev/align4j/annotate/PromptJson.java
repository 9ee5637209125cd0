package dev.align4j.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.io.Json;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prompts as they are written to label and export files: a plain string when the prompt is one
 * user turn, else a list of {@code {role, content}} with lower-case roles (what
 * {@link dev.align4j.datasets.format.DatasetLoader} reads back as the same prompt).
 */
public final class PromptJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PromptJson() {
    }

    public static JsonNode toNode(List<Message> prompt) {
        if (prompt.size() == 1 && prompt.get(0).role() == Role.USER && prompt.get(0).input().isEmpty()) {
            return TextNode.valueOf(prompt.get(0).content());
        }
        ArrayNode arr = F.arrayNode();
        for (Message m : prompt) {
            ObjectNode o = arr.addObject();
            o.put("role", m.role().name().toLowerCase(Locale.ROOT));
            // an Alpaca input is shown as part of the turn: the label file stays one message per turn
            o.put("content", m.input().isEmpty() ? m.content() : m.content() + "\n\n" + m.input());
        }
        return arr;
    }

    /** The prompt of {@link #toNode}; null when {@code node} is neither a string nor such a list. */
    public static List<Message> fromNode(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return List.of(Message.user(node.asText()));
        }
        if (!node.isArray()) {
            return null;
        }
        List<Message> out = new ArrayList<>();
        for (JsonNode m : node) {
            Role role = m.path("role").isTextual() ? Role.parse(m.get("role").asText()).orElse(null) : null;
            if (role == null || !m.path("content").isTextual()) {
                return null;
            }
            out.add(new Message(role, m.get("content").asText()));
        }
        return out;
    }

    /** The prompt for people: one turn alone as is, several as {@code User: ...} blocks. */
    public static String display(List<Message> prompt) {
        if (prompt.size() == 1 && prompt.get(0).role() == Role.USER) {
            return withInput(prompt.get(0));
        }
        StringBuilder sb = new StringBuilder();
        for (Message m : prompt) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            String role = m.role().name().charAt(0) + m.role().name().substring(1).toLowerCase(Locale.ROOT);
            sb.append(role).append(": ").append(withInput(m));
        }
        return sb.toString();
    }

    private static String withInput(Message m) {
        return m.input().isEmpty() ? m.content() : m.content() + "\n\n" + m.input();
    }

    /** First 16 hex digits of SHA-256 over the JSON of {@code [prompt, a, b]}: a pair's id when it has none. */
    public static String contentId(List<Message> prompt, String a, String b) {
        ArrayNode arr = F.arrayNode();
        arr.add(toNode(prompt));
        arr.add(a);
        arr.add(b);
        return Hashing.sha256(Json.line(arr)).substring(0, 16);
    }
}
