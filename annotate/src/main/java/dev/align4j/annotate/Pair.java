package dev.align4j.annotate;

import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Source;
import java.util.List;
import java.util.Objects;

/**
 * Two responses to one prompt, unlabelled. {@code a} and {@code b} are the responses in the order
 * of the input file (chosen and rejected of a preference file become A and B).
 *
 * @param id the record's {@code id}, or {@link PromptJson#contentId} of prompt, a and b
 * @param source the file and line it was read from (null when built in memory)
 */
public record Pair(String id, List<Message> prompt, String a, String b, Source source) {

    public Pair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        prompt = List.copyOf(prompt);
    }

    /** A pair identified by its content hash. */
    public static Pair of(List<Message> prompt, String a, String b) {
        return new Pair(PromptJson.contentId(prompt, a, b), prompt, a, b, null);
    }

    public String response(Response r) {
        return r == Response.A ? a : b;
    }
}
