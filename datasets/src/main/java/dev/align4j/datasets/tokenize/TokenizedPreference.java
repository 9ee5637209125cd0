package dev.align4j.datasets.tokenize;

import dev.align4j.datasets.format.Source;

/**
 * A tokenized preference pair: the shared prompt and the two replies, each reply ending in EOS
 * (unless truncation cut it). A model scores {@code prompt + chosen} and {@code prompt + rejected};
 * the lengths tell where the reply starts for the loss mask.
 *
 * @param margin the record's margin, or null
 */
public record TokenizedPreference(Source source, int[] promptIds, int[] chosenIds, int[] rejectedIds, Double margin) {

    public int promptLength() {
        return promptIds.length;
    }

    public int chosenLength() {
        return chosenIds.length;
    }

    public int rejectedLength() {
        return rejectedIds.length;
    }
}
