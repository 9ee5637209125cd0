package dev.align4j.core.math;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Element-wise functions DJL lacks, and arithmetic with a Java constant that is safe under
 * autograd.
 *
 * <p><b>Why {@link #mul(NDArray, double)} and friends exist.</b> DJL 0.35.1's
 * {@code NDArray.mul(Number)} (and {@code div}, {@code pow}, {@code maximum}, {@code minimum}, ...)
 * wraps the number in a tensor made by {@code torch::from_blob} over a Java direct buffer and closes
 * that tensor as soon as the op returns. The buffer is freed whenever the garbage collector gets to
 * it, but autograd keeps the tensor for the backward pass of any op whose gradient needs the
 * constant (a product, a quotient, a power, a max/min): the backward then reads freed memory, and
 * the gradients depend on what malloc put there since (docs/DESIGN.md, traps). The functions here
 * build the constant with {@code torch::full}, so torch owns its memory and autograd's reference
 * keeps it alive; the constant has the array's dtype (no float64 promotion of 0-dim arrays).
 */
public final class Ops {

    private Ops() {}

    /** A 0-dim constant of {@code like}'s dtype and device whose memory torch owns. */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }

    /** x * c, safe to differentiate (see the class comment). */
    public static NDArray mul(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.mul(s);
        }
    }

    /** x / c, safe to differentiate. */
    public static NDArray div(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.div(s);
        }
    }

    /** x ^ c, safe to differentiate. */
    public static NDArray pow(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.pow(s);
        }
    }

    /** max(x, c) element-wise, safe to differentiate. */
    public static NDArray maximum(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.maximum(s);
        }
    }

    /** min(x, c) element-wise, safe to differentiate. */
    public static NDArray minimum(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.minimum(s);
        }
    }

    /** log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)); finite for any finite x. */
    public static NDArray logSigmoid(NDArray x) {
        return minimum(x, 0).sub(x.abs().neg().exp().add(1).log());
    }

    /** log(1 - exp(x)) for x < 0 (log-probabilities): the log-probability of "not this sequence". */
    public static NDArray log1mExp(NDArray x) {
        // for x near 0 use log(-expm1(x)); DJL has no expm1, so clamp away from 0 instead
        return minimum(x, -1e-7).exp().neg().add(1).log();
    }

    /** sigmoid(x) computed as exp(logSigmoid(x)). */
    public static NDArray sigmoid(NDArray x) {
        return logSigmoid(x).exp();
    }
}
