package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A scalar head on the last hidden state: reward models read it at the last real token, PPO's value
 * head at every position. Initialised to zero so a fresh head outputs 0 everywhere (it starts from the
 * SFT model without disturbing it). Shapes: hidden (B, T, C) -> (B, T).
 */
public class ScalarHead extends Module {

    private final Linear proj;

    public ScalarHead(int dModel) {
        proj = child("proj", new Linear(dModel, 1, true, 0.0));
    }

    public Linear proj() {
        return proj;
    }

    @Override
    public void initialize(ai.djl.ndarray.NDManager manager, DataType dataType) {
        super.initialize(manager, dataType);
        proj.weight().getArray().muli(0);
    }

    public NDArray forward(NDArray hidden) {
        NDArray out = Autocast.toFloat32(proj.forward(hidden, false));
        return out.squeeze(-1);
    }

    /**
     * values (B, T) read at the last position whose mask is 1 in each row (works for left and right
     * padding) -> (B).
     */
    public static NDArray atLastToken(NDArray values, NDArray attentionMask) {
        long t = values.getShape().get(1);
        NDArray idx = attentionMask.toType(DataType.INT64, false)
                .mul(values.getManager().arange(1, (int) t + 1).toType(DataType.INT64, false))
                .argMax(1);
        return values.gather(idx.reshape(-1, 1), 1).reshape(-1);
    }
}
