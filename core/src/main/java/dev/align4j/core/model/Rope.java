package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate half" layout that Llama
 * checkpoints use: pairs are (x_i, x_{i + D/2}), angle_i(p) = p * theta^(-2i/D).
 *
 * <p>cos/sin tables of shape (ctx, D) are built once per model and device.
 */
final class Rope {

    private final int headDim;
    private final int maxPositions;
    private final double theta;
    private NDArray cosTable;
    private NDArray sinTable;

    Rope(int headDim, int maxPositions, double theta) {
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.theta = theta;
    }

    /**
     * cos and sin for {@code positions} (B, T): each (B, 1, T, D), ready to broadcast over heads.
     * The tables live on {@code owner}, the manager of the model's parameters.
     */
    NDArray[] angles(NDArray positions, DataType dtype, NDManager owner) {
        if (cosTable == null || !cosTable.getDevice().equals(positions.getDevice())) {
            build(owner);
        }
        NDArray idx = positions.toType(DataType.INT64, false);
        NDArray cos = idx.getNDArrayInternal().embedding(idx, cosTable, SparseFormat.DENSE)
                .singletonOrThrow().expandDims(1);
        NDArray sin = idx.getNDArrayInternal().embedding(idx, sinTable, SparseFormat.DENSE)
                .singletonOrThrow().expandDims(1);
        if (dtype != DataType.FLOAT32) {
            cos = cos.toType(dtype, false);
            sin = sin.toType(dtype, false);
        }
        return new NDArray[] {cos, sin};
    }

    private void build(NDManager owner) {
        NDArray[] old = cosTable == null ? null : new NDArray[] {cosTable, sinTable};
        int half = headDim / 2;
        float[] cos = new float[maxPositions * headDim];
        float[] sin = new float[maxPositions * headDim];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(theta, -2.0 * i / headDim);
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[p * headDim + i] = c;
                cos[p * headDim + i + half] = c;
                sin[p * headDim + i] = s;
                sin[p * headDim + i + half] = s;
            }
        }
        cosTable = owner.create(cos, new Shape(maxPositions, headDim));
        sinTable = owner.create(sin, new Shape(maxPositions, headDim));
        NDScope.unregister(cosTable, sinTable);
        if (old != null) {
            old[0].close();
            old[1].close();
        }
    }

    /** x * cos + rotate_half(x) * sin; x (B, h, T, D). */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, 3);
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
