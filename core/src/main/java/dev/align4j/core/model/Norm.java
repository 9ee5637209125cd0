package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import dev.align4j.core.math.Ops;

/**
 * LayerNorm (GPT-2: gain and bias, torch's fused kernel) or RMSNorm (Llama: gain only,
 * x / sqrt(mean(x^2) + eps) * g, Zhang and Sennrich 2019). Shapes: (..., C) -> (..., C).
 */
public class Norm extends Module {

    private final boolean rms;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    private Norm(int dim, boolean rms, double eps) {
        this.rms = rms;
        this.eps = (float) eps;
        weight = param("weight", Parameter.Type.GAMMA, new Shape(dim), new ConstantInitializer(1f));
        bias = rms ? null
                : param("bias", Parameter.Type.BETA, new Shape(dim), new ConstantInitializer(0f));
    }

    public static Norm layerNorm(int dim, double eps) {
        return new Norm(dim, false, eps);
    }

    public static Norm rmsNorm(int dim, double eps) {
        return new Norm(dim, true, eps);
    }

    public boolean isRms() {
        return rms;
    }

    public NDArray forward(NDArray x) {
        if (rms) {
            if (x.getDataType() == DataType.FLOAT16) {
                return rmsHalf(x);
            }
            NDArray inv = Ops.pow(x.square().mean(new int[] {-1}, true).add(eps), -0.5);
            return x.mul(inv).mul(weight.getArray());
        }
        long c = x.getShape().get(x.getShape().dimension() - 1);
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(c), Autocast.array(weight), Autocast.array(bias), eps)
                .singletonOrThrow();
    }

    /**
     * RMSNorm in float16 without overflow: x^2 overflows float16 from |x| > 256, so each row is
     * first divided by its largest |x| (m), then x / sqrt(mean(x^2) + eps) = (x/m) / sqrt(mean((x/m)^2) + eps/m^2).
     */
    private NDArray rmsHalf(NDArray x) {
        NDArray m = x.abs().max(new int[] {-1}, true).add(1e-4f); // (..., 1), > 0
        NDArray xn = x.div(m);
        // eps / m^2 as (sqrt(eps) / m)^2: 1 / m^2 alone overflows float16 for m < 0.004
        NDArray epsTerm = Ops.mul(Ops.pow(m, -1), Math.sqrt(eps)).square();
        NDArray inv = Ops.pow(xn.square().mean(new int[] {-1}, true).add(epsTerm), -0.5);
        return xn.mul(inv).mul(Autocast.array(weight));
    }
}
