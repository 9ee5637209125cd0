package dev.align4j.datasets.tokenize;

/** Which end of a too-long sequence is cut. */
public enum TruncationSide {
    /** Keep the start (the prompt); the end of the response is lost. */
    RIGHT,
    /** Keep the end (the response); the start of the prompt is lost, BOS is kept. */
    LEFT
}
