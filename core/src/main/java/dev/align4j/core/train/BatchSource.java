package dev.align4j.core.train;

import ai.djl.ndarray.NDManager;

/**
 * Training data as micro-batches addressed by (epoch, index). Determinism is the contract that
 * makes resume and reproducibility work: {@link #batch} must be a pure function of
 * {@code (seed, epoch, index)}, so the engine can restart at any data position without replaying
 * the data before it. {@link DataOrder#permutation} gives a seeded per-epoch shuffle.
 *
 * @param <B> the batch type the method's {@link LossFunction} consumes (e.g. a record of token
 *     ids (B, T), attention mask (B, T) and loss mask (B, T))
 */
public interface BatchSource<B> {

    /** Examples in the data set (for run.json and logs). */
    long size();

    /** Micro-batches in one epoch, at least 1 (the last one may be smaller). */
    long batchesPerEpoch();

    /**
     * Micro-batch {@code index} (0-based, {@code < batchesPerEpoch()}) of epoch {@code epoch}
     * (0-based) for {@code seed}. Arrays go on {@code manager}, which the engine closes after the
     * micro-batch; the returned batch must not be used after that.
     */
    B batch(long seed, long epoch, long index, NDManager manager);

    /** Tokens in {@code batch} that count for throughput (e.g. loss-mask ones), or -1 if unknown. */
    default long tokenCount(B batch) {
        return -1;
    }

    /** A content hash of the data (see {@code core.io.Hashing}) recorded in run.json and checkpoints; "" if unknown. */
    default String dataHash() {
        return "";
    }
}
