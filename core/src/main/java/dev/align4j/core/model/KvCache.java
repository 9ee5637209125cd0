package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of earlier positions, per layer, for incremental decoding (inference only).
 * Layer l holds k, v of shape (B, n_kv, Tk, D) before grouped-query expansion.
 *
 * <p>The cache owns its arrays: {@link #append} takes the new ones out of any open {@link NDScope}
 * and frees the ones they replace, so a decoding loop can run each step in its own scope.
 * Close the cache when the sequence is done.
 */
public final class KvCache implements AutoCloseable {

    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(int nLayers) {
        keys = new NDArray[nLayers];
        values = new NDArray[nLayers];
    }

    /** Number of cached positions Tk. */
    public int length() {
        return length;
    }

    /**
     * Appends k, v (B, n_kv, T, D) to layer {@code layer}; returns the full (B, n_kv, Tk + T, D)
     * pair.
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k : keys[layer].concat(k, 2);
        NDArray fullV = values[layer] == null ? v : values[layer].concat(v, 2);
        NDScope.unregister(fullK, fullV);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = fullK;
        values[layer] = fullV;
        return new NDArray[] {fullK, fullV};
    }

    /** Called by the model once every layer has appended {@code t} positions. */
    void advance(int t) {
        length += t;
    }

    /** Keeps only the batch rows in {@code rows} (B') of every layer, e.g. after sequences finish. */
    public void select(NDArray rows) {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] == null) {
                continue;
            }
            NDArray k = keys[l].get(rows);
            NDArray v = values[l].get(rows);
            NDScope.unregister(k, v);
            keys[l].close();
            values[l].close();
            keys[l] = k;
            values[l] = v;
        }
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                keys[l].close();
                values[l].close();
                keys[l] = null;
                values[l] = null;
            }
        }
        length = 0;
    }
}
