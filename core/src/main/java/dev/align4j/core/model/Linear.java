package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * y = x W^T + b with W of shape (out, in), as torch.nn.Linear. PEFT methods attach a
 * {@link LinearAdapter} (LoRA, QLoRA) that takes over the forward; the base weight stays in place.
 *
 * <p>Shapes: x (..., in) -> y (..., out).
 */
public class Linear extends Module {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private LinearAdapter adapter;

    public Linear(int in, int out, boolean bias, double initStd) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in),
                new NormalInitializer((float) initStd));
        this.bias = bias
                ? param("bias", Parameter.Type.BIAS, new Shape(out), new ConstantInitializer(0f))
                : null;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias parameter, or null. */
    public Parameter bias() {
        return bias;
    }

    /** Attaches an adapter (registered as child {@code name}) that computes this layer's output. */
    public void setAdapter(String name, LinearAdapter adapter) {
        if (this.adapter != null) {
            throw new IllegalStateException("layer already has an adapter");
        }
        this.adapter = child(name, adapter);
    }

    /** The attached adapter, or null. */
    public LinearAdapter adapter() {
        return adapter;
    }

    /** x (..., in) -> (..., out), through the adapter when one is attached and enabled. */
    public NDArray forward(NDArray x, boolean training) {
        if (adapter != null && adapter.enabled()) {
            return adapter.forward(this, x, training);
        }
        return baseForward(x);
    }

    /** x W^T + b with the stored dense weight, ignoring any adapter. */
    public NDArray baseForward(NDArray x) {
        return linear(x, Autocast.array(weight), bias == null ? null : Autocast.array(bias));
    }

    /** torch's fused linear (addmm), shared by adapters that substitute the weight. */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    }
}
