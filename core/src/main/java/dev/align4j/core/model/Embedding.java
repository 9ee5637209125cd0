package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;

/** Lookup table (rows, C). Shapes: ids (B, T) integer -> (B, T, C). */
public class Embedding extends Module {

    private final Parameter weight;

    public Embedding(int rows, int dim, double initStd) {
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(rows, dim),
                new NormalInitializer((float) initStd));
    }

    public Parameter weight() {
        return weight;
    }

    public NDArray forward(NDArray ids) {
        NDArray idx = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        return idx.getNDArrayInternal()
                .embedding(idx, Autocast.array(weight), SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
