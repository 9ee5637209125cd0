package dev.align4j.core.math;

import ai.djl.ndarray.NDArray;

/** Numerically stable element-wise functions DJL lacks. */
public final class Ops {

    private Ops() {}

    /** log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)); finite for any finite x. */
    public static NDArray logSigmoid(NDArray x) {
        return x.minimum(0).sub(x.abs().neg().exp().add(1).log());
    }

    /** log(1 - exp(x)) for x < 0 (log-probabilities): the log-probability of "not this sequence". */
    public static NDArray log1mExp(NDArray x) {
        // for x near 0 use log(-expm1(x)); DJL has no expm1, so clamp away from 0 instead
        return x.minimum(-1e-7).exp().neg().add(1).log();
    }

    /** sigmoid(x) computed as exp(logSigmoid(x)). */
    public static NDArray sigmoid(NDArray x) {
        return logSigmoid(x).exp();
    }
}
