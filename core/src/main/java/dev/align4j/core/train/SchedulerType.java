package dev.align4j.core.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * Learning-rate schedule shapes, named as in Hugging Face {@code transformers}
 * ({@code lr_scheduler_type}). In JSON/YAML they are written lower-case ({@code cosine}); reading
 * accepts any case.
 */
public enum SchedulerType {
    /** The base rate throughout; warmup is ignored (HF {@code constant}). */
    CONSTANT,
    /** Linear warmup from 0, then the base rate (HF {@code constant_with_warmup}). */
    CONSTANT_WITH_WARMUP,
    /** Linear warmup from 0, then linear decay to 0 at the last step (HF {@code linear}, the HF default). */
    LINEAR,
    /** Linear warmup from 0, then a cosine half-wave to 0 at the last step (HF {@code cosine}). */
    COSINE;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SchedulerType parse(String text) {
        for (SchedulerType t : values()) {
            if (t.name().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("lr_scheduler_type: unknown value '" + text + "', expected one of "
                + Arrays.stream(values()).map(SchedulerType::jsonName).toList());
    }
}
