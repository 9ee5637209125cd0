package dev.align4j.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.align4j.core.io.Json;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@value #FILE} in a checkpoint: the fp16 loss scaler's state, the same file for every trainer. */
public record ScalerState(@JsonProperty("scale") double scale, @JsonProperty("good_steps") int goodSteps,
        @JsonProperty("skipped_steps") long skippedSteps) {

    /** Checkpoint file with the fp16 loss scaler's state. */
    public static final String FILE = "loss_scaler.json";

    private static final Logger LOG = LogManager.getLogger(ScalerState.class);

    /** Writes {@code scaler}'s state into checkpoint folder {@code dir} (nothing when null). */
    public static void save(Path dir, LossScaler scaler) {
        if (scaler != null) {
            Json.write(dir.resolve(FILE), new ScalerState(scaler.scale(), scaler.goodSteps(), scaler.skipped()));
        }
    }

    /** Restores {@code scaler} (when not null) from {@code dir}; a missing file keeps the initial scale. */
    public static void restore(Path dir, LossScaler scaler) {
        if (scaler == null) {
            return;
        }
        Path f = dir.resolve(FILE);
        if (Files.isRegularFile(f)) {
            ScalerState st = Json.read(f, ScalerState.class);
            scaler.restore(st.scale(), st.goodSteps(), st.skippedSteps());
        } else {
            LOG.warn("{} has no {}: the fp16 loss scale restarts at {}", dir, FILE, scaler.scale());
        }
    }
}
