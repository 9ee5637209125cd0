package dev.align4j.core.peft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** Which parameters a run trains; see {@link Peft#apply}. Written in configs in lower case. */
public enum PeftMethod {
    /** Every parameter. */
    FULL,
    /** The last {@code freeze_trainable_layers} blocks and/or the modules named in
     *  {@code freeze_trainable_modules}; everything else frozen. */
    FREEZE,
    /** Bias terms only (Ben Zaken et al. 2022, BitFit). */
    BITFIT,
    /** Low-rank adapters on chosen linear layers, base frozen (Hu et al. 2021). */
    LORA,
    /** LoRA over an NF4-quantized frozen base (Dettmers et al. 2023). */
    QLORA;

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config value, case-insensitively; the message lists the valid names. */
    @JsonCreator
    public static PeftMethod parse(String value) {
        for (PeftMethod m : values()) {
            if (m.name().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown PEFT method '" + value + "' (one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
    }
}
