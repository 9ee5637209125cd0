package dev.align4j.core.peft;

import dev.align4j.core.model.Linear;
import dev.align4j.core.model.Module;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Merging LoRA updates into the base weights: W' = W + (alpha / r) B A (Hu et al. 2021, section 4.1:
 * merged, the adapted model has no inference latency over the base). For QLoRA layers the merged
 * weight is dense (NF4 dequantized plus the update), for export; the NF4 copy is kept so that
 * {@link #unmerge} returns exactly to it.
 */
public final class Lora {

    private static final Logger LOG = LogManager.getLogger(Lora.class);

    private Lora() {
    }

    /** LoRA adapters by the dotted name of their linear layer, in model order. */
    public static Map<String, LoraAdapter> adapters(Module model) {
        Map<String, LoraAdapter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : Peft.linearLayers(model).entrySet()) {
            if (e.getValue().adapter() instanceof LoraAdapter lora) {
                out.put(e.getKey(), lora);
            }
        }
        return out;
    }

    /**
     * Adds each adapter's update into its layer's weight and disables the adapter, so the model
     * computes the same function with plain linear layers. Not reversible by
     * {@link Adapters#setEnabled}; use {@link #unmerge}.
     *
     * @throws IllegalStateException if the model has no adapters or one is merged already
     */
    public static void merge(Module model) {
        Map<String, Linear> linears = Peft.linearLayers(model);
        Map<String, LoraAdapter> adapters = requireAdapters(model);
        for (Map.Entry<String, LoraAdapter> e : adapters.entrySet()) {
            e.getValue().merge(linears.get(e.getKey()));
        }
        LOG.debug("merged {} LoRA layers", adapters.size());
    }

    /** Undoes {@link #merge}: W -= (alpha / r) B A (dense, up to rounding) or back to NF4 (QLoRA). */
    public static void unmerge(Module model) {
        Map<String, Linear> linears = Peft.linearLayers(model);
        for (Map.Entry<String, LoraAdapter> e : requireAdapters(model).entrySet()) {
            e.getValue().unmerge(linears.get(e.getKey()));
        }
    }

    private static Map<String, LoraAdapter> requireAdapters(Module model) {
        Map<String, LoraAdapter> adapters = adapters(model);
        if (adapters.isEmpty()) {
            throw new IllegalStateException("model has no LoRA adapters");
        }
        return adapters;
    }
}
