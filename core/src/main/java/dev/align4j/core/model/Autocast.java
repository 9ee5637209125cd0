package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.util.Map;

/**
 * A mixed-precision region: while one is open on a thread, the model's layers read their weights
 * through {@link #array(Parameter)} and get float16 working copies instead of the float32
 * parameters, so the whole forward (products, norms, softmax) runs in float16; model outputs
 * (logits, scalar heads) come back as float32 through {@link #toFloat32} so that losses and
 * log-probs are computed in float32.
 *
 * <p>Why copies and not casts inside the graph: DJL 0.35.1's {@code toType} runs under
 * {@code NoGradGuard}, so a cast is not differentiable and {@code torch.autocast}'s scheme (cast
 * the weight inside each product) cannot be built. This is the other classic scheme (Micikevicius
 * et al., "Mixed Precision Training", 2018; apex O2): a float16 copy of the weights for compute,
 * float32 master weights for the update. The trainer makes the copies of trainable parameters
 * leaves that require a gradient and moves their gradients onto the masters after the backward
 * (see {@code core.train.MixedPrecision}). Weights without a live copy (frozen ones) are cast on
 * first use and cached in {@code constants} for the whole run.
 *
 * <p>Regions nest; closing restores the enclosing one.
 */
public final class Autocast implements AutoCloseable {

    private static final ThreadLocal<Autocast> CURRENT = new ThreadLocal<>();

    private final DataType dtype;
    private final Map<Parameter, NDArray> live;
    private final Map<Parameter, NDArray> constants;
    private final NDManager constantManager;
    private final Autocast previous;
    private boolean closed;

    private Autocast(DataType dtype, Map<Parameter, NDArray> live, Map<Parameter, NDArray> constants,
            NDManager constantManager) {
        this.dtype = dtype;
        this.live = live;
        this.constants = constants;
        this.constantManager = constantManager;
        this.previous = CURRENT.get();
        CURRENT.set(this);
    }

    /**
     * Opens a region computing in {@code dtype}.
     *
     * @param live working copies of parameters that change during the region's lifetime (the
     *     trainable ones), by parameter identity (an {@code IdentityHashMap})
     * @param constants cache of copies of every other parameter, filled on first use; keep it for
     *     as long as those parameters do not change
     * @param constantManager owns the cached copies
     */
    public static Autocast open(DataType dtype, Map<Parameter, NDArray> live, Map<Parameter, NDArray> constants,
            NDManager constantManager) {
        return new Autocast(dtype, live, constants, constantManager);
    }

    /** The compute dtype of the open region on this thread, or null when none is open. */
    public static DataType dtype() {
        Autocast a = CURRENT.get();
        return a == null ? null : a.dtype;
    }

    /** The array a layer computes with: the region's copy of {@code p}, or {@code p}'s own array. */
    public static NDArray array(Parameter p) {
        Autocast a = CURRENT.get();
        NDArray src = p.getArray();
        if (a == null || !src.getDataType().isFloating() || src.getDataType() == a.dtype) {
            return src;
        }
        NDArray w = a.live.get(p);
        if (w != null) {
            return w;
        }
        w = a.constants.get(p);
        if (w == null) {
            w = src.toType(a.dtype, true);
            NDScope.unregister(w); // outlives the step's scope
            w.attach(a.constantManager);
            a.constants.put(p, w);
        }
        return w;
    }

    /**
     * {@code x} as float32, differentiably: a float16 array is added to a float32 zero of shape
     * (1), and type promotion (not a cast, which would cut the graph) gives a float32 result whose
     * gradient flows back as float16. Other dtypes are returned as they are.
     */
    public static NDArray toFloat32(NDArray x) {
        if (x.getDataType() != DataType.FLOAT16) {
            return x;
        }
        return x.add(x.getManager().zeros(new Shape(1), DataType.FLOAT32));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
