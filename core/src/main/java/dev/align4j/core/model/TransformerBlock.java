package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;

/** Pre-norm residual block: x + attn(norm(x)), then + mlp(norm(x)). Shapes: (B, T, C). */
public class TransformerBlock extends Module {

    private final Norm attnNorm;
    private final Attention attn;
    private final Norm mlpNorm;
    private final Mlp mlp;
    private final float dropout;

    public TransformerBlock(ModelConfig cfg) {
        attnNorm = child("attn_norm", CausalLM.norm(cfg));
        attn = child("attn", new Attention(cfg));
        mlpNorm = child("mlp_norm", CausalLM.norm(cfg));
        mlp = child("mlp", new Mlp(cfg));
        dropout = (float) cfg.dropout();
    }

    NDArray forward(NDArray x, NDArray[] rope, NDArray bias, KvCache cache, int layer,
            boolean training) {
        NDArray h = x.add(drop(attn.forward(attnNorm.forward(x), rope, bias, cache, layer, training),
                training));
        return h.add(drop(mlp.forward(mlpNorm.forward(h), training), training));
    }

    private NDArray drop(NDArray x, boolean training) {
        if (!training || dropout == 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow();
    }
}
