package dev.align4j.datasets.format;

import java.util.List;

/**
 * A prompt with a preferred and a dispreferred final assistant response.
 *
 * @param margin how much better chosen is than rejected, when the data says so (null otherwise)
 */
public record PreferenceExample(Source source, List<Message> prompt, String chosen, String rejected, Double margin)
        implements Example {

    public PreferenceExample {
        prompt = List.copyOf(prompt);
    }
}
