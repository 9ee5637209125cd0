package dev.align4j.annotate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One line of a labels file (README: "labels.jsonl"). A {@code label} says what one annotator
 * thinks of one pair and carries the pair's text, so a labels file is complete without the pairs
 * file; a {@code retract} withdraws that annotator's latest standing label of the pair (undo).
 *
 * @param type label or retract
 * @param pairId the pair's id ({@link Pair#id})
 * @param annotator who labelled: a person's name, or the judge's name
 * @param kind human or judge
 * @param choice the label, in terms of the original responses (null in a retraction)
 * @param left which original response was shown on the left (null for judges: they see no screen)
 * @param seed the session seed that decided the left/right order (null for judges)
 * @param note free text the annotator added with {@code n} (null when none)
 * @param time when the label was saved, ISO-8601 UTC
 * @param elapsedMs milliseconds from showing the pair to the key (null for judges)
 * @param scoreA the judge's score of A (null for humans)
 * @param scoreB the judge's score of B
 * @param prompt the pair's prompt ({@link PromptJson#toNode})
 * @param a response A
 * @param b response B
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "pair_id", "annotator", "kind", "choice", "left", "seed", "note", "time", "elapsed_ms",
        "score_a", "score_b", "prompt", "a", "b"})
public record LabelEntry(Type type, String pairId, String annotator, Kind kind, Choice choice, Response left,
        Long seed, String note, String time, Long elapsedMs, Double scoreA, Double scoreB, JsonNode prompt, String a,
        String b) {

    /** What a line does. */
    public enum Type {
        @JsonProperty("label") LABEL,
        @JsonProperty("retract") RETRACT
    }

    /** Who made a label. */
    public enum Kind {
        @JsonProperty("human") HUMAN,
        @JsonProperty("judge") JUDGE
    }

    public LabelEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pairId, "pair_id");
        Objects.requireNonNull(annotator, "annotator");
        Objects.requireNonNull(kind, "kind");
        if (type == Type.LABEL && (choice == null || prompt == null || a == null || b == null)) {
            throw new IllegalArgumentException("a label needs choice, prompt, a and b");
        }
    }

    /** A person's label of {@code pair}. */
    public static LabelEntry human(Pair pair, String annotator, Choice choice, Response left, long seed, String note,
            String time, long elapsedMs) {
        return new LabelEntry(Type.LABEL, pair.id(), annotator, Kind.HUMAN, choice, left, seed, note, time, elapsedMs,
                null, null, PromptJson.toNode(pair.prompt()), pair.a(), pair.b());
    }

    /** A judge's label of {@code pair} with both scores. */
    public static LabelEntry judged(Pair pair, String judge, Choice choice, double scoreA, double scoreB, String time) {
        return new LabelEntry(Type.LABEL, pair.id(), judge, Kind.JUDGE, choice, null, null, null, time, null, scoreA,
                scoreB, PromptJson.toNode(pair.prompt()), pair.a(), pair.b());
    }

    /** Withdraws {@code annotator}'s latest standing label of {@code pairId}. */
    public static LabelEntry retract(String pairId, String annotator, Kind kind, String time) {
        return new LabelEntry(Type.RETRACT, pairId, annotator, kind, null, null, null, null, time, null, null, null,
                null, null, null);
    }

    /** True when the annotator picked the response shown on the left (only for decided human labels). */
    public boolean pickedLeft() {
        return left != null && choice != null && choice.decided() && choice == left.choice();
    }
}
