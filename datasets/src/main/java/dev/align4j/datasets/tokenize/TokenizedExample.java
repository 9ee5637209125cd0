package dev.align4j.datasets.tokenize;

import dev.align4j.datasets.format.Source;

/**
 * One tokenized SFT sequence. {@code labels[t]} is the id the model should produce at position t
 * ({@code inputIds[t]} itself, the loss shifts by one) or {@link #IGNORE} where no loss is taken.
 */
public record TokenizedExample(Source source, int[] inputIds, int[] labels) {

    /** Label of positions without loss, as in PyTorch's {@code CrossEntropyLoss(ignore_index=-100)}. */
    public static final int IGNORE = -100;

    public TokenizedExample {
        if (inputIds.length != labels.length) {
            throw new IllegalArgumentException("ids " + inputIds.length + " and labels " + labels.length + " differ");
        }
    }

    public int length() {
        return inputIds.length;
    }

    /** Positions that carry a loss. */
    public int trainedTokens() {
        int n = 0;
        for (int l : labels) {
            if (l != IGNORE) {
                n++;
            }
        }
        return n;
    }
}
