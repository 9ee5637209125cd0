package dev.align4j.datasets.format;

import java.util.List;

/**
 * A supervised example: a conversation whose assistant turns are the targets. Alpaca, ShareGPT,
 * OpenAI messages, prompt/completion and plain text records all become one of these.
 */
public record SftExample(Source source, List<Message> messages) implements Example {

    public SftExample {
        messages = List.copyOf(messages);
    }

    /** Messages before the last assistant turn. */
    @Override
    public List<Message> prompt() {
        int last = messages.size() - 1;
        while (last >= 0 && messages.get(last).role() != Role.ASSISTANT) {
            last--;
        }
        return messages.subList(0, Math.max(last, 0));
    }
}
