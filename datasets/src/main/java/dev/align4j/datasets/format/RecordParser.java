package dev.align4j.datasets.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one JSON object into the typed {@link Example} of a {@link DataFormat}. Every problem is a
 * {@link RecordError} naming the (file's) field: missing, wrong type, empty.
 */
public final class RecordParser {

    private static final java.util.Set<String> RESPONSE_FIELDS = java.util.Set.of("output", "completion", "text", "chosen", "rejected");

    private final DataFormat format;
    private final ColumnMapping map;

    public RecordParser(DataFormat format, ColumnMapping map) {
        this.format = format;
        this.map = map;
    }

    public Example parse(JsonNode n, Source src) {
        return switch (format) {
            case ALPACA -> alpaca(n, src);
            case SHAREGPT -> new SftExample(src, withSystem(n, turns(n, "conversations", "from", "value")));
            case OPENAI -> new SftExample(src, withSystem(n, turns(n, "messages", "role", "content")));
            case COMPLETION -> new SftExample(src, requireResponse(List.of(
                    Message.user(string(n, "prompt", true)), Message.assistant(string(n, "completion", false))), "completion"));
            case TEXT -> new SftExample(src, List.of(Message.assistant(string(n, "text", false))));
            case PREFERENCE -> preference(n, src);
            case HH_RLHF -> {
                HhRlhf.Pair p = HhRlhf.split(string(n, "chosen", false), string(n, "rejected", false));
                yield new PreferenceExample(src, p.prompt(), p.chosen(), p.rejected(), null);
            }
            case KTO -> unpaired(n, src);
            case PROMPTS -> new PromptExample(src, promptOf(n, true));
        };
    }

    private SftExample alpaca(JsonNode n, Source src) {
        List<Message> ms = new ArrayList<>();
        if (has(n, "system")) {
            ms.add(Message.system(string(n, "system", true)));
        }
        String instruction = string(n, "instruction", false);
        String input = has(n, "input") ? string(n, "input", true) : "";
        ms.add(new Message(Role.USER, instruction, input));
        ms.add(Message.assistant(string(n, "output", false)));
        return new SftExample(src, requireResponse(ms, "output"));
    }

    private PreferenceExample preference(JsonNode n, Source src) {
        Double margin = null;
        if (has(n, "margin")) {
            JsonNode m = n.get(map.field("margin"));
            if (!m.isNumber()) {
                throw new RecordError(map.field("margin"), "expected a number, got " + type(m));
            }
            margin = m.asDouble();
        }
        JsonNode cn = node(n, "chosen");
        JsonNode rn = node(n, "rejected");
        if (!has(n, "prompt") && cn.isArray() && rn.isArray()) {
            // implicit prompt: two full conversations that differ in their last assistant turn
            List<Message> c = turnList(cn, "chosen", "role", "content");
            List<Message> r = turnList(rn, "rejected", "role", "content");
            int last = c.size() - 1;
            if (last < 1 || r.size() != c.size() || !c.subList(0, last).equals(r.subList(0, last))) {
                throw new RecordError(map.field("rejected"), "chosen and rejected must share all turns but the last");
            }
            return new PreferenceExample(src, c.subList(0, last), lastAssistant(c, "chosen"),
                    lastAssistant(r, "rejected"), margin);
        }
        List<Message> prompt = promptOf(n, false);
        String chosen = response(cn, "chosen");
        String rejected = response(rn, "rejected");
        if (chosen.equals(rejected)) {
            throw new RecordError(map.field("rejected"), "identical to chosen, nothing to prefer");
        }
        return new PreferenceExample(src, prompt, chosen, rejected, margin);
    }

    private UnpairedExample unpaired(JsonNode n, Source src) {
        JsonNode l = node(n, "label");
        if (!l.isBoolean()) {
            throw new RecordError(map.field("label"), "expected true or false, got " + type(l));
        }
        return new UnpairedExample(src, promptOf(n, false), response(node(n, "completion"), "completion"), l.asBoolean());
    }

    /** The prompt field as a string (one user turn) or a message list. */
    private List<Message> promptOf(JsonNode n, boolean required) {
        JsonNode p = node(n, "prompt");
        List<Message> ms = p.isArray() ? turnList(p, "prompt", "role", "content")
                : List.of(Message.user(string(n, "prompt", !required)));
        if (required && ms.stream().allMatch(m -> m.content().isBlank())) {
            throw new RecordError(map.field("prompt"), "empty prompt");
        }
        return ms;
    }

    /** A response given as a string or as a message list ending in an assistant turn. */
    private String response(JsonNode v, String field) {
        String s = v.isArray() ? lastAssistant(turnList(v, field, "role", "content"), field)
                : v.isTextual() ? v.asText() : null;
        if (s == null) {
            throw new RecordError(map.field(field), "expected a string or a message list, got " + type(v));
        }
        if (s.isBlank()) {
            throw new RecordError(map.field(field), "empty response");
        }
        return s;
    }

    private String lastAssistant(List<Message> ms, String field) {
        if (ms.isEmpty() || ms.get(ms.size() - 1).role() != Role.ASSISTANT) {
            throw new RecordError(map.field(field), "must end with an assistant message");
        }
        return ms.get(ms.size() - 1).content();
    }

    private List<Message> withSystem(JsonNode n, List<Message> turns) {
        List<Message> ms = new ArrayList<>();
        if (has(n, "system") && !string(n, "system", true).isEmpty()) {
            ms.add(Message.system(string(n, "system", true)));
        }
        ms.addAll(turns);
        return requireResponse(ms, format == DataFormat.SHAREGPT ? "conversations" : "messages");
    }

    private List<Message> turns(JsonNode n, String listField, String roleKey, String contentKey) {
        return turnList(node(n, listField), listField, roleKey, contentKey);
    }

    private List<Message> turnList(JsonNode list, String listField, String roleKey, String contentKey) {
        String name = map.field(listField);
        if (!list.isArray()) {
            throw new RecordError(name, "expected a list of messages, got " + type(list));
        }
        // a message list inside a preference file always uses role/content unless mapped otherwise
        String rk = map.field(roleKey);
        String ck = map.field(contentKey);
        List<Message> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String where = name + "[" + i + "]";
            JsonNode role = m.get(rk);
            JsonNode content = m.get(ck);
            if (role == null || !role.isTextual()) {
                throw new RecordError(where + "." + rk, role == null ? "missing field" : "expected a string, got " + type(role));
            }
            if (content == null || !content.isTextual()) {
                throw new RecordError(where + "." + ck, content == null ? "missing field" : "expected a string, got " + type(content));
            }
            Role r = Role.parse(role.asText()).orElseThrow(() -> new RecordError(where + "." + rk,
                    "unknown role '" + role.asText() + "' (system, user/human, assistant/gpt)"));
            if (r == Role.SYSTEM && i > 0) {
                throw new RecordError(where + "." + rk, "a system message may only come first");
            }
            out.add(new Message(r, content.asText()));
        }
        return out;
    }

    private List<Message> requireResponse(List<Message> ms, String field) {
        boolean any = false;
        for (Message m : ms) {
            if (m.role() == Role.ASSISTANT) {
                if (m.content().isBlank()) {
                    throw new RecordError(map.field(field), "empty response");
                }
                any = true;
            }
        }
        if (!any) {
            throw new RecordError(map.field(field), "no assistant message to train on");
        }
        return ms;
    }

    private boolean has(JsonNode n, String canonical) {
        JsonNode v = n.get(map.field(canonical));
        return v != null && !v.isNull();
    }

    private JsonNode node(JsonNode n, String canonical) {
        JsonNode v = n.get(map.field(canonical));
        if (v == null || v.isNull()) {
            throw new RecordError(map.field(canonical), "missing field");
        }
        return v;
    }

    private String string(JsonNode n, String canonical, boolean mayBeEmpty) {
        JsonNode v = node(n, canonical);
        if (!v.isTextual()) {
            throw new RecordError(map.field(canonical), "expected a string, got " + type(v));
        }
        if (!mayBeEmpty && v.asText().isBlank()) {
            boolean isResponse = RESPONSE_FIELDS.contains(canonical);
            throw new RecordError(map.field(canonical), isResponse ? "empty response" : "empty");
        }
        return v.asText();
    }

    private static String type(JsonNode v) {
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
