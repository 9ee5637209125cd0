package dev.align4j.core.gen;

/**
 * Receives tokens as they are generated (for streaming chat output). Called on the generating
 * thread, once per row and step, in row order.
 */
public interface GenerationListener {

    /** Row {@code row} of the batch produced {@code token} (its {@code index}-th new token). */
    void onToken(int row, int index, int token);

    /** Row {@code row} finished with {@code generation}. */
    default void onFinish(int row, Generation generation) {}
}
