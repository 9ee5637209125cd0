package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;

import dev.align4j.core.model.Autocast;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The float16 side of fp16 mixed precision: float16 working copies of the float32 master
 * parameters for each micro-batch's forward and backward, and the move of their gradients back
 * onto the masters (see {@link Autocast} for why copies). Copies of frozen parameters are made
 * once per run and cached. Used by TrainingEngine and by loops of their own (PPO).
 */
public final class MixedPrecision implements AutoCloseable {

    private final Collection<Parameter> trainable;
    private final NDManager constantManager;
    private final Map<Parameter, NDArray> constants = new IdentityHashMap<>();
    private Map<Parameter, NDArray> live;

    /** @param base owns the cached copies of frozen parameters (a sub-manager of it) */
    public MixedPrecision(Collection<Parameter> trainable, NDManager base) {
        this.trainable = trainable;
        this.constantManager = base.newSubManager();
    }

    /**
     * Opens a region whose trainable weights are fresh float16 copies (made from the current
     * masters on {@code manager}); with {@code withGrad} they are leaves that collect gradients.
     */
    public Autocast open(NDManager manager, boolean withGrad) {
        live = new IdentityHashMap<>();
        for (Parameter p : trainable) {
            NDArray master = p.getArray();
            if (!master.getDataType().isFloating()) {
                continue;
            }
            NDArray copy = master.toType(DataType.FLOAT16, true);
            copy.attach(manager);
            if (withGrad) {
                copy.setRequiresGradient(true);
            }
            live.put(p, copy);
        }
        return Autocast.open(DataType.FLOAT16, live, constants, constantManager);
    }

    /**
     * Adds each copy's (still loss-scaled) float16 gradient, as float32, to its master's
     * gradient. It runs a second, tiny backward of sum(master * g) so that the masters' gradient
     * buffers are created by autograd when they do not exist yet. Call after the micro-batch's
     * backward, with no gradient collector open.
     */
    public void moveGradients() {
        Map<Parameter, NDArray> copies = live;
        live = null;
        // the graph of sum(master * g) is recorded only while a collector is open
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            // in the trainable list's order, not the identity map's (identity hashes differ per JVM)
            for (Parameter p : trainable) {
                NDArray copy = copies.get(p);
                if (copy == null) {
                    continue;
                }
                NDArray g = copy.getGradient();
                if (g == null) {
                    continue; // the parameter took no part in this forward
                }
                NDArray term = p.getArray().mul(g.toType(DataType.FLOAT32, false)).sum();
                total = total == null ? term : total.add(term);
            }
            if (total != null) {
                gc.backward(total);
            }
        }
    }

    @Override
    public void close() {
        constants.clear();
        constantManager.close();
    }
}
