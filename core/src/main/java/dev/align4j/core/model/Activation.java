package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import dev.align4j.core.math.Ops;

/** MLP activations. */
public enum Activation {
    /** Exact GELU, x * Phi(x) (torch's default {@code F.gelu}). */
    GELU,
    /** GPT-2's tanh approximation, {@code gelu_new} in Hugging Face configs. */
    GELU_TANH,
    /** x * sigmoid(x), the gate activation of SwiGLU (Llama). */
    SILU;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    public NDArray apply(NDArray x) {
        return switch (this) {
            case GELU -> x.getNDArrayInternal().gelu();
            // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))  (Hendrycks & Gimpel 2016, eq. 2)
            case GELU_TANH -> Ops.mul(x, 0.5).mul(
                    Ops.mul(x.add(Ops.mul(Ops.pow(x, 3), 0.044715)), SQRT_2_OVER_PI).tanh().add(1));
            case SILU -> x.mul(x.getNDArrayInternal().sigmoid());
        };
    }
}
