package dev.align4j.datasets.format;

import java.util.Objects;

/**
 * One turn of a conversation.
 *
 * @param role who speaks
 * @param content the text
 * @param input extra context for a user turn (Alpaca's {@code input}); empty when there is none.
 *     Kept apart from the content because the Alpaca prompt renders it in its own section.
 */
public record Message(Role role, String content, String input) {

    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        input = input == null ? "" : input;
    }

    public Message(Role role, String content) {
        this(role, content, "");
    }

    public static Message system(String content) {
        return new Message(Role.SYSTEM, content);
    }

    public static Message user(String content) {
        return new Message(Role.USER, content);
    }

    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content);
    }
}
