package dev.align4j.datasets.format;

import java.util.List;

/** A prompt alone, for generation (PPO rollouts, evaluation). */
public record PromptExample(Source source, List<Message> prompt) implements Example {

    public PromptExample {
        prompt = List.copyOf(prompt);
    }
}
