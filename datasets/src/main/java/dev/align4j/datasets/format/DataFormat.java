package dev.align4j.datasets.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * The record layouts align4j reads. Field names are the canonical ones; {@link ColumnMapping}
 * renames them per file.
 */
public enum DataFormat {
    /** Stanford Alpaca: {@code {instruction, input?, output, system?}}. */
    ALPACA(Kind.SFT),
    /** ShareGPT: {@code {conversations: [{from, value}], system?}}. */
    SHAREGPT(Kind.SFT),
    /** OpenAI chat: {@code {messages: [{role, content}]}}; a system message may lead. */
    OPENAI(Kind.SFT),
    /** Prompt and completion strings: {@code {prompt, completion}}. */
    COMPLETION(Kind.SFT),
    /** Plain text, trained on whole: {@code {text}}. */
    TEXT(Kind.SFT),
    /** Explicit pairs: {@code {prompt?, chosen, rejected, margin?}}; strings or message lists. */
    PREFERENCE(Kind.PREFERENCE),
    /** Anthropic HH-RLHF transcripts {@code {chosen, rejected}}, split on their shared prefix. */
    HH_RLHF(Kind.PREFERENCE),
    /** KTO: {@code {prompt, completion, label}} with a boolean label. */
    KTO(Kind.UNPAIRED),
    /** Prompts alone: {@code {prompt}} as a string or a message list. */
    PROMPTS(Kind.PROMPTS);

    /** What a format feeds: supervised fine-tuning, pairwise preference, unpaired preference, prompts. */
    public enum Kind { SFT, PREFERENCE, UNPAIRED, PROMPTS }

    private final Kind kind;

    DataFormat(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The format named {@code name}, case-insensitive, {@code -} and {@code _} alike. */
    public static Optional<DataFormat> parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (DataFormat f : values()) {
            if (f.name().equals(n)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * Guesses the format from the keys of one record (after column mapping), most specific first.
     * Empty when nothing fits.
     */
    public static Optional<DataFormat> detect(JsonNode record, ColumnMapping map) {
        boolean chosen = record.has(map.field("chosen")) && record.has(map.field("rejected"));
        if (chosen) {
            boolean transcript = !record.has(map.field("prompt")) && record.get(map.field("chosen")).isTextual()
                    && record.get(map.field("chosen")).asText().contains(HhRlhf.HUMAN);
            return Optional.of(transcript ? HH_RLHF : PREFERENCE);
        }
        if (record.has(map.field("conversations"))) {
            return Optional.of(SHAREGPT);
        }
        if (record.has(map.field("messages"))) {
            return Optional.of(OPENAI);
        }
        if (record.has(map.field("instruction")) && record.has(map.field("output"))) {
            return Optional.of(ALPACA);
        }
        if (record.has(map.field("prompt")) && record.has(map.field("completion"))) {
            return Optional.of(record.has(map.field("label")) ? KTO : COMPLETION);
        }
        if (record.has(map.field("text"))) {
            return Optional.of(TEXT);
        }
        if (record.has(map.field("prompt"))) {
            return Optional.of(PROMPTS);
        }
        return Optional.empty();
    }
}
