package dev.align4j.core.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.LoraAdapter;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The final export's LoRA/QLoRA steps, one implementation for every trainer: the adapter folder
 * ({@code adapter/}) and the merged weights copied into a plain model of the same shape, so
 * {@code model/} holds no adapter tensors and loads like any model (QLoRA: the dequantized NF4 base
 * plus the update).
 */
public final class LoraExport {

    /** The adapter folder inside the run folder. */
    public static final String ADAPTER_DIR = "adapter";

    private LoraExport() {
    }

    /** Whether {@code peft} trains adapters (LoRA or QLoRA). */
    public static boolean adapters(PeftConfig peft) {
        return peft.method() == PeftMethod.LORA || peft.method() == PeftMethod.QLORA;
    }

    /** Writes {@code runDir/adapter} ({@link Adapters#save}); returns the folder. */
    public static Path saveAdapter(Path runDir, CausalLM model, PeftConfig peft, String baseModelHash) {
        Path dir = runDir.resolve(ADAPTER_DIR);
        try {
            Adapters.save(dir, model, peft, baseModelHash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the adapter to " + dir, e);
        }
        return dir;
    }

    /**
     * Copies every parameter of {@code plain} (by name) from {@code adapted}'s weights with its
     * adapters merged, as float32. Adapters not yet merged are merged for the copy and unmerged
     * after it, so {@code adapted} is left as it was (an already merged model, as {@code align4j
     * export} loads one, is copied as it is).
     */
    public static void copyMerged(CausalLM adapted, CausalLM plain) {
        boolean mergeHere = Lora.adapters(adapted).values().stream().noneMatch(LoraAdapter::isMerged);
        if (mergeHere) {
            Lora.merge(adapted);
        }
        try {
            Map<String, Parameter> merged = adapted.namedParameters();
            plain.namedParameters().forEach((name, p) -> {
                Parameter src = merged.get(name);
                if (src == null || !src.isInitialized()) {
                    throw new IllegalStateException("merged model has no weight " + name);
                }
                try (NDArray f32 = src.getArray().toType(DataType.FLOAT32, true)) {
                    p.getArray().set(f32.toFloatArray());
                }
            });
        } finally {
            if (mergeHere) {
                Lora.unmerge(adapted);
            }
        }
    }

    /**
     * A float32 model of {@code adapted}'s shape without adapter modules, on {@code manager}, holding
     * the merged weights ({@link #copyMerged}): what a model folder can store, since neither layout
     * knows LoRA tensors.
     */
    public static CausalLM plainCopy(CausalLM adapted, NDManager manager) {
        CausalLM plain = new CausalLM(adapted.config());
        plain.initialize(manager, DataType.FLOAT32);
        copyMerged(adapted, plain);
        return plain;
    }
}
