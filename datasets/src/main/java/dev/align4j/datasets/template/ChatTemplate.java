package dev.align4j.datasets.template;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.core.run.SamplesFile;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * How a conversation becomes text. Each turn is rendered from a format string with a
 * {@code {content}} placeholder (and {@code {input}} for Alpaca-style user turns). An assistant turn
 * is {@code assistantPrefix} (part of the prompt, masked), then content + {@code assistantSuffix}
 * (trained), then the tokenizer's EOS (trained, added by the encoder), then {@code turnEnd} (masked).
 * Serialised as JSON (snake_case keys) so a model folder can save the template and generation can
 * render prompts exactly as training did.
 *
 * @param name registry name or the file it came from
 * @param bos whether sequences start with the tokenizer's BOS id
 * @param defaultSystem system text used when a conversation has none ("" for none)
 * @param system format of a system turn, {@code {content}}
 * @param user format of a user turn, {@code {content}}
 * @param userWithInput format of a user turn with an input, {@code {content}} and {@code {input}};
 *     null: the input follows the content after a blank line and {@code user} is used
 * @param assistantPrefix text before an assistant reply (the generation prompt)
 * @param assistantSuffix text after the reply, trained with it (before EOS)
 * @param turnEnd text after EOS, before the next turn (masked)
 */
public record ChatTemplate(
        @JsonProperty("name") String name,
        @JsonProperty("bos") boolean bos,
        @JsonProperty("default_system") String defaultSystem,
        @JsonProperty("system") String system,
        @JsonProperty("user") String user,
        @JsonProperty("user_with_input") String userWithInput,
        @JsonProperty("assistant_prefix") String assistantPrefix,
        @JsonProperty("assistant_suffix") String assistantSuffix,
        @JsonProperty("turn_end") String turnEnd) {

    public static final String CONTENT = "{content}";
    public static final String INPUT = "{input}";
    private static final ObjectMapper JSON = Json.mapper();

    public ChatTemplate {
        name = name == null ? "custom" : name;
        defaultSystem = orEmpty(defaultSystem);
        system = system == null ? CONTENT + "\n\n" : system;
        assistantPrefix = orEmpty(assistantPrefix);
        assistantSuffix = orEmpty(assistantSuffix);
        turnEnd = orEmpty(turnEnd);
        if (user == null || !user.contains(CONTENT)) {
            throw new UserInputException("template " + name + ": user: must contain " + CONTENT + ", got " + quote(user));
        }
        if (!system.contains(CONTENT)) {
            throw new UserInputException("template " + name + ": system: must contain " + CONTENT + ", got " + quote(system));
        }
        if (userWithInput != null && !(userWithInput.contains(CONTENT) && userWithInput.contains(INPUT))) {
            throw new UserInputException("template " + name + ": user_with_input: must contain " + CONTENT
                    + " and " + INPUT + ", got " + quote(userWithInput));
        }
    }

    /** A piece of rendered text; {@code trained} pieces are followed by EOS when {@code endsTurn}. */
    public record Segment(String text, boolean trained, boolean endsTurn) {
    }

    /**
     * The segments of a whole conversation, for training: masked prompt parts and trained assistant
     * replies, in order. The encoder adds BOS (if {@link #bos}) and an EOS after each reply.
     */
    public List<Segment> render(List<Message> messages) {
        List<Segment> out = new ArrayList<>();
        int start = systemInto(messages, out);
        for (int i = start; i < messages.size(); i++) {
            Message m = messages.get(i);
            switch (m.role()) {
                case USER -> out.add(new Segment(userText(m), false, false));
                case ASSISTANT -> {
                    out.add(new Segment(assistantPrefix, false, false));
                    out.add(new Segment(m.content() + assistantSuffix, true, true));
                    out.add(new Segment(turnEnd, false, false));
                }
                case SYSTEM -> out.add(new Segment(fill(system, m.content()), false, false));
            }
        }
        out.removeIf(s -> s.text().isEmpty() && !s.endsTurn());
        return out;
    }

    /** The text a model is prompted with: the turns, then the assistant prefix. BOS is not included. */
    public String renderPrompt(List<Message> prompt) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : render(prompt)) {
            sb.append(s.text());
        }
        return sb.append(assistantPrefix).toString();
    }

    /**
     * The ids {@code tokenizer} feeds a model trained with this template for {@code prompt}: BOS (when
     * {@link #bos}) then {@link #renderPrompt} encoded as one string ({@link SamplesFile#promptIds}).
     */
    public int[] promptIds(Tokenizer tokenizer, List<Message> prompt) {
        return SamplesFile.promptIds(tokenizer, renderPrompt(prompt), bos);
    }

    /** The trained text of a reply (EOS not included). */
    public String renderResponse(String content) {
        return content + assistantSuffix;
    }

    private int systemInto(List<Message> messages, List<Segment> out) {
        if (!messages.isEmpty() && messages.get(0).role() == Role.SYSTEM) {
            out.add(new Segment(fill(system, messages.get(0).content()), false, false));
            return 1;
        }
        if (!defaultSystem.isEmpty()) {
            out.add(new Segment(fill(system, defaultSystem), false, false));
        }
        return 0;
    }

    private String userText(Message m) {
        if (m.input().isEmpty()) {
            return fill(user, m.content());
        }
        if (userWithInput != null) {
            // input first: a {content} placeholder inside the input must stay literal
            return userWithInput.replace(INPUT, "\u0000INPUT\u0000").replace(CONTENT, m.content())
                    .replace("\u0000INPUT\u0000", m.input());
        }
        return fill(user, m.content() + "\n\n" + m.input());
    }

    private static String fill(String format, String content) {
        return format.replace(CONTENT, content);
    }

    /** The template as JSON, for a model folder. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The template as a Jinja chat template for transformers' {@code apply_chat_template} (the
     * {@code chat_template} of {@code tokenizer_config.json}); it renders the same text as
     * {@link #render} and {@link #renderPrompt}, with {@code eos_token} where the encoder adds EOS.
     */
    public String toJinja() {
        return JinjaTemplate.of(this);
    }

    /** A template from {@link #toJson} output. */
    public static ChatTemplate fromJson(String json) {
        try {
            return JSON.readValue(json, ChatTemplate.class);
        } catch (JsonProcessingException e) {
            throw new UserInputException("template: invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s.replace("\n", "\\n") + "'";
    }
}
