package dev.align4j.datasets.tokenize;

import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.UnpairedExample;
import dev.align4j.datasets.template.ChatTemplate;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenizes preference pairs (and unpaired KTO completions) as prompt ids + reply ids. When
 * {@code prompt + longer reply} exceeds {@code maxLength}, the prompt is cut first, keeping its last
 * {@code maxPromptLength} tokens (the part nearest the reply; BOS stays); then replies are cut at the
 * end. The prompt is never empty after cutting, so there is always a position to predict from.
 */
public final class PreferenceEncoder {

    /**
     * @param maxLength longest prompt + reply
     * @param maxPromptLength longest prompt once cutting is needed; below maxLength
     */
    public record Config(int maxLength, int maxPromptLength) {
        public Config {
            if (maxPromptLength < 1 || maxPromptLength >= maxLength) {
                throw new IllegalArgumentException("max_prompt_length " + maxPromptLength
                        + " must be in [1, max_length " + maxLength + ")");
            }
        }
    }

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Config config;
    private int truncated;

    public PreferenceEncoder(Tokenizer tokenizer, ChatTemplate template, Config config) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.config = config;
    }

    public TokenizedPreference encode(PreferenceExample ex) {
        int[] prompt = promptIds(ex.prompt());
        int[] chosen = responseIds(ex.chosen());
        int[] rejected = responseIds(ex.rejected());
        int longest = Math.max(chosen.length, rejected.length);
        if (prompt.length + longest > config.maxLength()) {
            truncated++;
            prompt = cutPrompt(prompt);
            int room = config.maxLength() - prompt.length;
            chosen = Arrays.copyOf(chosen, Math.min(chosen.length, room));
            rejected = Arrays.copyOf(rejected, Math.min(rejected.length, room));
        }
        return new TokenizedPreference(ex.source(), prompt, chosen, rejected, ex.margin());
    }

    /** A KTO record as a pair with an empty rejected reply; {@code label} tells desirable from not. */
    public TokenizedPreference encode(UnpairedExample ex) {
        int[] prompt = promptIds(ex.prompt());
        int[] completion = responseIds(ex.completion());
        if (prompt.length + completion.length > config.maxLength()) {
            truncated++;
            prompt = cutPrompt(prompt);
            completion = Arrays.copyOf(completion, Math.min(completion.length, config.maxLength() - prompt.length));
        }
        return new TokenizedPreference(ex.source(), prompt, completion, new int[0], ex.label() ? 1.0 : -1.0);
    }

    /** BOS (if the template wants it) + rendered prompt + assistant prefix. */
    public int[] promptIds(List<Message> prompt) {
        return template.promptIds(tokenizer, prompt);
    }

    /** Reply + template suffix + EOS. */
    public int[] responseIds(String reply) {
        int[] body = tokenizer.encode(template.renderResponse(reply));
        int[] ids = Arrays.copyOf(body, body.length + 1);
        ids[body.length] = tokenizer.eosId();
        return ids;
    }

    private int[] cutPrompt(int[] prompt) {
        if (prompt.length <= config.maxPromptLength()) {
            return prompt;
        }
        int keep = config.maxPromptLength();
        int[] out = new int[keep];
        int head = template.bos() ? 1 : 0;
        System.arraycopy(prompt, 0, out, 0, head);
        System.arraycopy(prompt, prompt.length - (keep - head), out, head, keep - head);
        return out;
    }

    /** Pairs whose prompt or replies were cut so far. */
    public int truncatedCount() {
        return truncated;
    }
}
