package dev.align4j.datasets.template;

import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversations to prompt ids, and the stops a template implies: how {@code align4j generate},
 * {@code chat} and {@code annotate generate} prompt a model with a whole conversation.
 */
public final class ChatPrompts {

    private ChatPrompts() {
    }

    /**
     * The ids a model trained with {@code template} is prompted with for {@code messages}: BOS (if
     * the template wants it), the rendered turns, the assistant prefix. Each earlier assistant reply
     * is followed by EOS, as the SFT encoder trains it. Text between two EOS is encoded as one
     * string, so a single-turn prompt gives exactly BOS + encode(renderPrompt), the ids the
     * preference and PPO encoders use.
     */
    public static int[] ids(Tokenizer tokenizer, ChatTemplate template, List<Message> messages) {
        List<int[]> parts = new ArrayList<>();
        if (template.bos()) {
            parts.add(new int[] {tokenizer.bosId()});
        }
        StringBuilder text = new StringBuilder();
        for (ChatTemplate.Segment s : template.render(messages)) {
            text.append(s.text());
            if (s.endsTurn()) {
                parts.add(tokenizer.encode(text.toString()));
                parts.add(new int[] {tokenizer.eosId()});
                text.setLength(0);
            }
        }
        text.append(template.assistantPrefix());
        parts.add(tokenizer.encode(text.toString()));
        int n = parts.stream().mapToInt(p -> p.length).sum();
        int[] ids = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, ids, at, p.length);
            at += p.length;
        }
        return ids;
    }

    /**
     * Adds the tokenizer's EOS and the template's end of reply (its assistant suffix, such as
     * ChatML's {@code <|im_end|>}) as stops: a suffix that is one special token becomes a stop id,
     * anything else a stop string. Without the template ({@code null}, raw prompts) only EOS stops.
     */
    public static SamplingParams.Builder withStops(SamplingParams.Builder b, List<String> stopStrings,
            Tokenizer tokenizer, ChatTemplate template) {
        b.eosTokenId(tokenizer.eosId());
        List<String> strings = new ArrayList<>(stopStrings);
        String suffix = template == null ? "" : template.assistantSuffix();
        if (!suffix.isEmpty()) {
            int[] enc = tokenizer.encode(suffix);
            if (enc.length == 1 && tokenizer.specialIds().contains(enc[0])) {
                b.stopTokenIds(List.of(enc[0]));
            } else if (!suffix.isBlank()) {
                strings.add(suffix);
            }
        }
        return b.stopStrings(strings);
    }

    /** What to show as a request's prompt: a lone user turn's text, else the rendered prompt. */
    public static String display(ChatTemplate template, List<Message> prompt) {
        if (prompt.size() == 1 && prompt.get(0).role() == Role.USER && prompt.get(0).input().isEmpty()) {
            return prompt.get(0).content();
        }
        return template.renderPrompt(prompt);
    }
}
