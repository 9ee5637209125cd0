package dev.align4j.annotate;

import java.util.List;

/** Scores both responses of pairs; the higher score is the better response. */
public interface PairJudge extends AutoCloseable {

    /** The annotator name written into the labels, e.g. {@code sentiment} or {@code rule:longer}. */
    String name();

    /** {@code [i][0]} the score of pair i's A, {@code [i][1]} of its B. */
    double[][] score(List<Pair> pairs);

    @Override
    default void close() {
    }
}
