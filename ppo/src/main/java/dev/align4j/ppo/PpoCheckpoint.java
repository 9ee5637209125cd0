package dev.align4j.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.Version;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.TrainState;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * PPO checkpoints in the shared layout ({@link Checkpoint}: {@code checkpoints/step-N/}, N the
 * iterations done): weights of policy ({@code policy.*}) and critic ({@code critic.*}), the AdamW
 * state of both, state.json, and {@value #PPO_STATE} with the KL coefficient. Every random choice of
 * iteration k is a pure function of (seed, k), so seed and N are the whole RNG state.
 */
final class PpoCheckpoint {

    static final String PPO_STATE = "ppo_state.json";

    /**
     * @param klCoef the adaptive controller's coefficient for the next iteration
     * @param lossScale fp16 loss scaler state (null without fp16), with its good-step run and skips
     */
    record PpoState(@JsonProperty("iteration") long iteration, @JsonProperty("kl_coef") double klCoef,
            @JsonProperty("loss_scale") Double lossScale, @JsonProperty("loss_scale_good_steps") int goodSteps,
            @JsonProperty("skipped_steps") long skippedSteps) {
    }

    private PpoCheckpoint() {}

    static Path save(Path out, long iteration, long totalIterations, double epoch, long seed, double lr,
            String dataHash, double wallS, Map<String, Parameter> weights, PpoIteration it) {
        TrainState s = new TrainState(iteration, epoch, 0, seed, lr, totalIterations, dataHash, Version.project(),
                wallS, Instant.now().toString(), -1, null, null);
        Map<String, NDArray> opt = it.optimizer().stateDict();
        try {
            return Checkpoint.save(Checkpoint.dir(out), s, Checkpoint.arrays(weights), opt,
                    tmp -> Json.write(tmp.resolve(PPO_STATE), new PpoState(iteration, it.kl().value(),
                            it.scaler() == null ? null : it.scaler().scale(),
                            it.scaler() == null ? 0 : it.scaler().goodSteps(),
                            it.scaler() == null ? 0 : it.scaler().skipped())));
        } finally {
            opt.get("step").close(); // a fresh array per call; m and v are live state
        }
    }

    /** Restores weights, optimizer and KL coefficient; returns the checkpoint's state. */
    static TrainState restore(Path dir, Map<String, Parameter> weights, PpoIteration it, NDManager base) {
        TrainState s = Checkpoint.readState(dir);
        try (NDManager scratch = base.newSubManager()) {
            Checkpoint.restoreWeights(dir, weights, scratch);
            Checkpoint.restoreOptimizer(dir, it.optimizer(), scratch);
        }
        PpoState p = Json.read(dir.resolve(PPO_STATE), PpoState.class);
        it.kl().set(p.klCoef());
        if (it.scaler() != null && p.lossScale() != null) {
            it.scaler().restore(p.lossScale(), p.goodSteps(), p.skippedSteps());
        }
        return s;
    }
}
