package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import dev.align4j.core.math.Ops;

/**
 * Causal multi-head self-attention with grouped-query attention (Ainslie et al. 2023): n_kv key/value
 * heads, each shared by n_h / n_kv query heads (n_kv = n_h is plain multi-head attention).
 *
 * <p>Shapes: x (B, T, C); q (B, nh, T, D); k, v (B, nkv, Tk, D); scores (B, nh, T, Tk).
 */
public class Attention extends Module {

    private final int nHeads;
    private final int nKvHeads;
    private final int headDim;
    private final float dropout;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear oProj;

    public Attention(ModelConfig cfg) {
        nHeads = cfg.nHeads();
        nKvHeads = cfg.nKvHeads();
        headDim = cfg.headDim();
        dropout = (float) cfg.dropout();
        int c = cfg.dModel();
        int kv = nKvHeads * headDim;
        // residual projections scaled by 1/sqrt(2 L) (GPT-2 paper, section 2.3)
        double residualStd = cfg.initStd() / Math.sqrt(2.0 * cfg.nLayers());
        qProj = child("q_proj", new Linear(c, c, cfg.bias(), cfg.initStd()));
        kProj = child("k_proj", new Linear(c, kv, cfg.bias(), cfg.initStd()));
        vProj = child("v_proj", new Linear(c, kv, cfg.bias(), cfg.initStd()));
        oProj = child("o_proj", new Linear(c, c, cfg.bias(), residualStd));
    }

    /**
     * @param x (B, T, C)
     * @param rope cos, sin (B, 1, T, D) for rotary layouts, else null
     * @param bias additive mask (B or 1, 1, T, Tk): 0 where attending is allowed, a large negative
     *     number elsewhere; null when every key is visible (one new token, no padding)
     * @param cache the KV cache or null; {@code layer} is this block's index in it
     */
    NDArray forward(NDArray x, NDArray[] rope, NDArray bias, KvCache cache, int layer,
            boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray q = qProj.forward(x, training).reshape(b, t, nHeads, headDim).transpose(0, 2, 1, 3);
        NDArray k = kProj.forward(x, training).reshape(b, t, nKvHeads, headDim).transpose(0, 2, 1, 3);
        NDArray v = vProj.forward(x, training).reshape(b, t, nKvHeads, headDim).transpose(0, 2, 1, 3);
        if (rope != null) {
            q = Rope.apply(q, rope[0], rope[1]);
            k = Rope.apply(k, rope[0], rope[1]);
        }
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        if (nKvHeads != nHeads) {
            // kv head j serves query heads j*g .. j*g+g-1 (repeat_interleave on the head axis)
            k = k.repeat(1, nHeads / nKvHeads);
            v = v.repeat(1, nHeads / nKvHeads);
        }
        NDArray scores = Ops.mul(q, 1.0 / Math.sqrt(headDim)).matMul(k.transpose(0, 1, 3, 2));
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray att = scores.softmax(-1);
        if (training && dropout > 0) {
            att = att.getNDArrayInternal().dropout(att, dropout, true).singletonOrThrow();
        }
        NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, (long) nHeads * headDim);
        return oProj.forward(y, training);
    }
}
