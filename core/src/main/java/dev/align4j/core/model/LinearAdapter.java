package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Computes a {@link Linear} layer's output in place of its dense weight: LoRA adds a low-rank
 * update, QLoRA also replaces the base weight by a quantized one. An adapter is a {@link Module}, so
 * its own parameters appear under the layer's name ({@code ...q_proj.lora.lora_A}).
 */
public abstract class LinearAdapter extends Module {

    private boolean enabled = true;

    /** x (..., in) -> (..., out). */
    public abstract NDArray forward(Linear base, NDArray x, boolean training);

    /** Whether the adapter is applied; disabled, the layer is its base (DPO's reference model). */
    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
