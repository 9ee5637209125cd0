package dev.align4j.core.gen;

/** Why a generated sequence ended. */
public enum FinishReason {
    /** The model produced the end-of-sequence id. */
    EOS,
    /** A stop token id or a stop string appeared. */
    STOP,
    /** max_new_tokens were generated. */
    LENGTH
}
