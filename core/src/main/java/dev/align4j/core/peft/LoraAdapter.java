package dev.align4j.core.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.UniformInitializer;

import dev.align4j.core.model.Autocast;
import dev.align4j.core.model.Linear;
import dev.align4j.core.model.LinearAdapter;
import dev.align4j.core.math.Ops;

/**
 * Low-rank adapter on a {@link Linear} layer (Hu et al. 2021, "LoRA"): the layer computes
 * y = base(x) + (alpha / r) * dropout(x) A^T B^T, with A (r, in) and B (out, r) trainable and the
 * base weight W (out, in) frozen. B starts at zero, so at step 0 the layer is exactly its base
 * (section 4.1); A starts uniform in +-1/sqrt(in), the Kaiming-uniform bound (a = sqrt 5) that
 * torch.nn.Linear and Hugging Face PEFT use.
 *
 * <p>For QLoRA (Dettmers et al. 2023) the base weight is replaced by an {@link Nf4Weight}: the dense
 * array is closed and the NF4 copy is dequantized to W's dtype on every forward; the bias, if any,
 * stays dense and frozen.
 *
 * <p>Parameters: {@code lora_A} (r, in), {@code lora_B} (out, r), named
 * {@code <layer>.lora.lora_A|lora_B} in the model. Shapes: x (..., in) -> (..., out).
 */
public class LoraAdapter extends LinearAdapter {

    /** Child name of the adapter under its layer. */
    public static final String NAME = "lora";

    private final int rank;
    private final double alpha;
    private final float dropout;
    private final Parameter loraA;
    private final Parameter loraB;
    private Nf4Weight quantized;
    private DataType denseType;
    private byte[] denseDigest;
    private boolean merged;

    /**
     * @param in the layer's input width
     * @param out the layer's output width
     * @param rank r
     * @param alpha the update is scaled by alpha / r
     * @param dropout dropout probability on the adapter's input while training
     */
    public LoraAdapter(int in, int out, int rank, double alpha, double dropout) {
        this.rank = rank;
        this.alpha = alpha;
        this.dropout = (float) dropout;
        loraA = param("lora_A", Parameter.Type.WEIGHT, new Shape(rank, in),
                new UniformInitializer((float) (1.0 / Math.sqrt(in))));
        loraB = param("lora_B", Parameter.Type.WEIGHT, new Shape(out, rank),
                new ConstantInitializer(0f));
    }

    public int rank() {
        return rank;
    }

    public double alpha() {
        return alpha;
    }

    /** alpha / r. */
    public double scaling() {
        return alpha / rank;
    }

    /** A (r, in). */
    public Parameter loraA() {
        return loraA;
    }

    /** B (out, r). */
    public Parameter loraB() {
        return loraB;
    }

    /** The NF4 base weight (QLoRA), or null when the base is dense. */
    public Nf4Weight quantizedBase() {
        return quantized;
    }

    /** Whether B A has been added into a dense weight by {@link Lora#merge}. */
    public boolean isMerged() {
        return merged;
    }

    /** SHA-256 of the dense weight's bytes taken before quantization (null when not quantized). */
    byte[] denseDigest() {
        return denseDigest == null ? null : denseDigest.clone();
    }

    DataType denseType() {
        return denseType;
    }

    @Override
    public void setEnabled(boolean enabled) {
        if (enabled && merged) {
            throw new IllegalStateException(
                    "the adapter is merged into the base weight; unmerge it before enabling it");
        }
        super.setEnabled(enabled);
    }

    @Override
    public NDArray forward(Linear base, NDArray x, boolean training) {
        NDArray y = baseOutput(base, x);
        NDArray h = training && dropout > 0
                ? x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow()
                : x;
        NDArray update = Linear.linear(Linear.linear(h, Autocast.array(loraA), null), // (..., r)
                Autocast.array(loraB), null); // (..., out)
        return y.add(Ops.mul(update, scaling()));
    }

    /** x W^T + b with the dense or the dequantized weight. */
    NDArray baseOutput(Linear base, NDArray x) {
        if (quantized == null) {
            return base.baseForward(x);
        }
        NDArray b = base.bias() == null ? null : Autocast.array(base.bias());
        DataType compute = Autocast.dtype() == null ? denseType : Autocast.dtype();
        return Linear.linear(x, quantized.dequantize(compute, x.getManager()), b);
    }

    /** (alpha / r) B A, shape (out, in). */
    public NDArray deltaWeight() {
        return loraB.getArray().matMul(loraA.getArray()).mul(scaling());
    }

    /**
     * QLoRA: replaces {@code base}'s dense weight by an NF4 copy on the device of {@code table}
     * ({@link Nf4Weight#lookupTable}) and closes the dense array (its Parameter keeps the shape).
     */
    void quantizeBase(Linear base, int blockSize, boolean doubleQuant, NDArray table) {
        Parameter w = base.weight();
        NDArray dense = w.getArray();
        denseType = dense.getDataType();
        denseDigest = Digests.sha256(dense);
        float[] values;
        try (NDScope scope = new NDScope()) {
            values = dense.toType(DataType.FLOAT32, false).toFloatArray();
        }
        quantized = Nf4Weight.upload(Nf4.quantize(values, dense.getShape(), blockSize, doubleQuant),
                table);
        w.close();
    }

    /** Adds (alpha / r) B A into the base weight (materialising a dense one for QLoRA). */
    void merge(Linear base) {
        if (merged) {
            throw new IllegalStateException("adapter already merged");
        }
        try (NDScope scope = new NDScope()) {
            NDArray delta = deltaWeight();
            if (quantized == null) {
                base.weight().getArray().addi(delta.toType(denseType(base), false));
            } else {
                // the NF4 copy stays so that unmerge can return to it exactly
                NDArray dense = quantized.dequantize(denseType).add(delta.toType(denseType, false));
                NDScope.unregister(dense);
                Parameter w = base.weight();
                var init = w.getInitializer();
                w.setInitializer((m, s, t) -> dense);
                w.initialize(dense.getManager(), denseType);
                w.setInitializer(init);
                w.freeze(true);
            }
        }
        super.setEnabled(false);
        merged = true;
    }

    /** Subtracts the update again (QLoRA: drops the dense weight and goes back to NF4). */
    void unmerge(Linear base) {
        if (!merged) {
            throw new IllegalStateException("adapter is not merged");
        }
        if (quantized == null) {
            try (NDScope scope = new NDScope()) {
                base.weight().getArray().subi(deltaWeight().toType(denseType(base), false));
            }
        } else {
            base.weight().close();
        }
        merged = false;
        super.setEnabled(true);
    }

    private static DataType denseType(Linear base) {
        return base.weight().getArray().getDataType();
    }
}
