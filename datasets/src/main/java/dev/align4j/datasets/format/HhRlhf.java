package dev.align4j.datasets.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anthropic HH-RLHF transcripts ({@code "\n\nHuman: ...\n\nAssistant: ..."}). A pair stores two full
 * transcripts that share every turn but the last assistant reply, so the prompt is the shared part up
 * to the last {@code "\n\nAssistant:"} both contain, and the responses are what follows it.
 */
public final class HhRlhf {

    static final String HUMAN = "\n\nHuman:";
    static final String ASSISTANT = "\n\nAssistant:";
    private static final Pattern TURN = Pattern.compile("\n\n(Human|Assistant):");

    /** A split pair: the prompt turns and the two final assistant responses. */
    public record Pair(List<Message> prompt, String chosen, String rejected) {
    }

    private HhRlhf() {
    }

    /** Splits one pair; throws {@link RecordError} with the reason when it cannot. */
    public static Pair split(String chosen, String rejected) {
        if (chosen.equals(rejected)) {
            throw new RecordError("rejected", "identical to chosen, nothing to prefer");
        }
        int common = 0;
        int max = Math.min(chosen.length(), rejected.length());
        while (common < max && chosen.charAt(common) == rejected.charAt(common)) {
            common++;
        }
        int cut = common < ASSISTANT.length() ? -1 : chosen.lastIndexOf(ASSISTANT, common - ASSISTANT.length());
        if (cut < 0) {
            throw new RecordError("chosen", "chosen and rejected share no assistant turn before they differ");
        }
        String promptText = chosen.substring(0, cut);
        String c = chosen.substring(cut + ASSISTANT.length()).strip();
        String r = rejected.substring(cut + ASSISTANT.length()).strip();
        if (c.contains(HUMAN) || r.contains(HUMAN)) {
            throw new RecordError(c.contains(HUMAN) ? "chosen" : "rejected",
                    "transcripts differ before the final assistant turn");
        }
        if (c.isEmpty() || r.isEmpty()) {
            throw new RecordError(c.isEmpty() ? "chosen" : "rejected", "empty response");
        }
        List<Message> prompt = parseTranscript(promptText);
        if (prompt.isEmpty() || prompt.get(prompt.size() - 1).role() != Role.USER) {
            throw new RecordError("chosen", "the shared prefix does not end with a Human turn");
        }
        return new Pair(prompt, c, r);
    }

    /** The turns of a transcript; text before the first marker is ignored when blank. */
    static List<Message> parseTranscript(String text) {
        List<Message> out = new ArrayList<>();
        Matcher m = TURN.matcher(text);
        Role role = null;
        int start = 0;
        while (m.find()) {
            if (role != null) {
                out.add(new Message(role, text.substring(start, m.start()).strip()));
            } else if (!text.substring(0, m.start()).isBlank()) {
                throw new RecordError("chosen", "transcript does not start with \\n\\nHuman:");
            }
            role = m.group(1).equals("Human") ? Role.USER : Role.ASSISTANT;
            start = m.end();
        }
        if (role != null) {
            out.add(new Message(role, text.substring(start).strip()));
        }
        return out;
    }
}
