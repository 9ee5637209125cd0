package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Position-wise feed-forward network. GPT-2: down(act(up(x))). Llama SwiGLU (Shazeer 2020):
 * down(silu(gate(x)) * up(x)). Shapes: (B, T, C) -> (B, T, F) -> (B, T, C).
 */
public class Mlp extends Module {

    private final Activation activation;
    private final Linear gateProj;
    private final Linear upProj;
    private final Linear downProj;

    public Mlp(ModelConfig cfg) {
        activation = cfg.activation();
        int c = cfg.dModel();
        int f = cfg.ffnHidden();
        double residualStd = cfg.initStd() / Math.sqrt(2.0 * cfg.nLayers());
        gateProj = cfg.architecture() == Architecture.LLAMA
                ? child("gate_proj", new Linear(c, f, cfg.bias(), cfg.initStd()))
                : null;
        upProj = child("up_proj", new Linear(c, f, cfg.bias(), cfg.initStd()));
        downProj = child("down_proj", new Linear(f, c, cfg.bias(), residualStd));
    }

    NDArray forward(NDArray x, boolean training) {
        NDArray h = gateProj == null
                ? activation.apply(upProj.forward(x, training))
                : Activation.SILU.apply(gateProj.forward(x, training)).mul(upProj.forward(x, training));
        return downProj.forward(h, training);
    }
}
