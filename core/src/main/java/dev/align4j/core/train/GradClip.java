package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import java.util.Collection;

/**
 * Global-norm gradient clipping with {@code torch.nn.utils.clip_grad_norm_} semantics. DJL's own
 * {@code optClipGrad} clamps each element from above only (DJL_NOTES.md), which is something else.
 */
public final class GradClip {

    private GradClip() {
    }

    /**
     * Scales every gradient in place by {@code maxNorm / (norm + 1e-6)} when that factor is below
     * 1, where {@code norm = sqrt(sum over all grads of sum(g^2))}. Returns the norm before
     * clipping. {@code maxNorm <= 0} only measures. Temporaries are created on the grads'
     * managers: call inside an {@code NDScope}.
     *
     * @param grads gradient arrays of any shapes (views of the parameters' gradients)
     * @param maxNorm the largest global L2 norm allowed
     * @return the global L2 norm before clipping (NaN or infinite if a gradient is)
     */
    public static double clipGlobalNorm(Collection<NDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        clip(grads, maxNorm, norm);
        return norm;
    }

    /** Scales the grads in place as {@link #clipGlobalNorm} does, given their already measured norm. */
    public static void clip(Collection<NDArray> grads, double maxNorm, double norm) {
        // 1e-6 as torch does, so a norm just at maxNorm is left (almost) untouched
        double scale = maxNorm / (norm + 1e-6);
        if (maxNorm > 0 && scale < 1.0) {
            for (NDArray g : grads) {
                g.muli(scale);
            }
        }
    }

    /** {@code sqrt(sum of squares)} over all elements of all arrays, reduced in fp32 on device. */
    public static double globalNorm(Collection<NDArray> grads) {
        if (grads.isEmpty()) {
            return 0.0;
        }
        NDList sums = new NDList(grads.size());
        for (NDArray g : grads) {
            // per-tensor sums stay on the device; one host sync for the whole set
            sums.add(g.toType(DataType.FLOAT32, false).square().sum().reshape(1));
        }
        NDArray total = NDArrays.concat(sums).sum();
        return Math.sqrt(total.toType(DataType.FLOAT64, false).getDouble());
    }
}
