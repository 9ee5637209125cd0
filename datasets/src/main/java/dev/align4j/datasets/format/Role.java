package dev.align4j.datasets.format;

import java.util.Locale;
import java.util.Optional;

/** Who speaks a message. Only assistant messages are trained on. */
public enum Role {
    SYSTEM, USER, ASSISTANT;

    /** The role named {@code name} in OpenAI ({@code user}) or ShareGPT ({@code human}, {@code gpt}) style. */
    public static Optional<Role> parse(String name) {
        return Optional.ofNullable(switch (name.toLowerCase(Locale.ROOT)) {
            case "system" -> SYSTEM;
            case "user", "human" -> USER;
            case "assistant", "gpt", "bot", "model" -> ASSISTANT;
            default -> null;
        });
    }
}
