package dev.align4j.datasets.format;

import java.util.List;

/** A single completion labelled desirable ({@code true}) or not, as KTO trains on. */
public record UnpairedExample(Source source, List<Message> prompt, String completion, boolean label)
        implements Example {

    public UnpairedExample {
        prompt = List.copyOf(prompt);
    }
}
