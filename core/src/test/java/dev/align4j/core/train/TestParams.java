package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/** Test helpers: parameters with given values. */
final class TestParams {

    private TestParams() {
    }

    /** A trainable parameter holding {@code values} in {@code shape}. */
    static Parameter param(NDManager m, String name, Shape shape, float... values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray a = m.create(values, shape);
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }
}
