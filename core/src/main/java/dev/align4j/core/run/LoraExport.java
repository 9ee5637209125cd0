package dev.align4j.core.run;

import ai.djl.nn.Parameter;

import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
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
     * Merges {@code adapted}'s adapters, copies every parameter of {@code plain} from the merged
     * weights (by name), then unmerges, so {@code adapted} is left as it was.
     */
    public static void copyMerged(CausalLM adapted, CausalLM plain) {
        Lora.merge(adapted);
        try {
            Map<String, Parameter> merged = adapted.namedParameters();
            plain.namedParameters().forEach((name, p) -> {
                Parameter src = merged.get(name);
                if (src == null || !src.isInitialized()) {
                    throw new IllegalStateException("merged model has no weight " + name);
                }
                p.getArray().set(src.getArray().toFloatArray());
            });
        } finally {
            Lora.unmerge(adapted);
        }
    }
}
