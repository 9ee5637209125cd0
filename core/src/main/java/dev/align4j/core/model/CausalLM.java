package dev.align4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.UserInputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decoder-only transformer language model in the GPT-2 or Llama layout (see {@link ModelConfig}).
 *
 * <p>Shape letters: B batch, T new positions, Tk key positions (cached + new), C d_model, V vocab.
 *
 * <p>Parameter names: {@code embed_tokens.weight}, {@code embed_positions.weight} (GPT-2),
 * {@code blocks.<i>.attn_norm|attn.{q,k,v,o}_proj|mlp_norm|mlp.{gate,up,down}_proj.*},
 * {@code norm.*}, {@code lm_head.weight} (untied only).
 */
public class CausalLM extends Module {

    private final ModelConfig config;
    private final Embedding embedTokens;
    private final Embedding embedPositions;
    private final List<TransformerBlock> blocks;
    private final Norm norm;
    private final Linear lmHead;
    private final Rope rope;

    public CausalLM(ModelConfig config) {
        this.config = config;
        boolean gpt2 = config.architecture() == Architecture.GPT2;
        embedTokens = child("embed_tokens",
                new Embedding(config.vocabSize(), config.dModel(), config.initStd()));
        embedPositions = gpt2
                ? child("embed_positions",
                        new Embedding(config.contextLength(), config.dModel(), config.initStd()))
                : null;
        List<TransformerBlock> list = new ArrayList<>();
        BlockList container = child("blocks", new BlockList());
        for (int i = 0; i < config.nLayers(); i++) {
            list.add(container.add(i, new TransformerBlock(config)));
        }
        blocks = Collections.unmodifiableList(list);
        norm = child("norm", norm(config));
        lmHead = config.tieWordEmbeddings()
                ? null
                : child("lm_head", new Linear(config.dModel(), config.vocabSize(), false,
                        config.initStd()));
        rope = gpt2 ? null : new Rope(config.headDim(), config.contextLength(), config.ropeTheta());
    }

    static Norm norm(ModelConfig cfg) {
        return cfg.architecture() == Architecture.LLAMA
                ? Norm.rmsNorm(cfg.dModel(), cfg.normEps())
                : Norm.layerNorm(cfg.dModel(), cfg.normEps());
    }

    public ModelConfig config() {
        return config;
    }

    public List<TransformerBlock> blocks() {
        return blocks;
    }

    public Embedding embedTokens() {
        return embedTokens;
    }

    /** The untied LM head, or null when the head reuses {@code embed_tokens.weight}. */
    public Linear lmHead() {
        return lmHead;
    }

    /** Forward over all positions; see {@link #forward(NDArray, NDArray, NDArray, KvCache, boolean)}. */
    public LmOutput forward(NDArray ids, NDArray attentionMask, boolean training) {
        return forward(ids, attentionMask, null, null, training);
    }

    /**
     * @param ids (B, T) token ids
     * @param attentionMask (B, Tk) 1 for real tokens, 0 for padding; null means all real. With a
     *     cache, Tk = cache length + T and the mask covers the cached positions too. A (B, T, Tk)
     *     mask says per query which keys it may see (packed sequences: only its own segment); the
     *     causal rule still applies on top.
     * @param positions (B, T) absolute positions, or null for cacheLength .. cacheLength + T - 1 (pass
     *     them for left-padded batches so every row starts at position 0)
     * @param cache KV cache to read and extend, or null
     * @param training enables dropout
     * @return logits (B, T, V) and hidden states (B, T, C)
     */
    public LmOutput forward(NDArray ids, NDArray attentionMask, NDArray positions, KvCache cache,
            boolean training) {
        NDArray hidden = hidden(ids, attentionMask, positions, cache, training);
        return new LmOutput(logits(hidden), hidden);
    }

    /** Final hidden states (B, T, C) without the LM head (reward and value models need only these). */
    public NDArray hidden(NDArray ids, NDArray attentionMask, NDArray positions, KvCache cache,
            boolean training) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("ids must be (B, T), got " + shape);
        }
        int t = (int) shape.get(1);
        int past = cache == null ? 0 : cache.length();
        if (past + t > config.contextLength()) {
            throw new UserInputException("sequence of " + (past + t)
                    + " tokens exceeds the model's context_length " + config.contextLength());
        }
        NDManager m = ids.getManager();
        NDArray pos = positions != null
                ? positions
                : m.arange(past, past + t).toType(DataType.INT64, false).reshape(1, t);
        NDArray x = embedTokens.forward(ids);
        NDArray[] angles = null;
        if (embedPositions != null) {
            x = x.add(embedPositions.forward(pos));
        } else {
            NDManager owner = embedTokens.weight().getArray().getManager();
            angles = rope.angles(pos, x.getDataType(), owner);
        }
        NDArray bias = attentionBias(m, attentionMask, t, past, x.getDataType());
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(x, angles, bias, cache, i, training);
        }
        if (cache != null) {
            cache.advance(t);
        }
        return norm.forward(x);
    }

    /** hidden (..., C) -> logits (..., V). */
    public NDArray logits(NDArray hidden) {
        // float32 logits even inside an Autocast region: softmax and losses over the vocab stay exact
        return Autocast.toFloat32(lmHead != null
                ? lmHead.forward(hidden, false)
                : Linear.linear(hidden, Autocast.array(embedTokens.weight()), null));
    }

    /**
     * Additive mask (B or 1, 1, T, Tk): query i (absolute position past + i) sees key j when
     * j <= past + i and key j is not padding. Masked entries get a large negative number rather than
     * -inf so that a row with nothing visible (a left-pad query) gives a uniform softmax, not NaN.
     */
    static NDArray attentionBias(NDManager m, NDArray attentionMask, int t, int past,
            DataType dtype) {
        int tk = past + t;
        if (t == 1 && attentionMask == null) {
            return null;
        }
        double big = dtype == DataType.FLOAT16 ? 6.0e4 : 1.0e9;
        if (t == 1 && attentionMask.getShape().dimension() == 2) {
            // one new token sees every earlier position: only padding is masked (5 ops, not 10)
            long b = attentionMask.getShape().get(0);
            return attentionMask.reshape(b, 1, 1, tk).toType(DataType.BOOLEAN, false)
                    .toType(dtype, false).sub(1).mul(big);
        }
        NDArray keys = m.arange(tk).reshape(1, tk);
        NDArray queries = m.arange(past, tk).reshape(t, 1);
        NDArray allowed = keys.lte(queries).reshape(1, 1, t, tk);
        if (attentionMask != null) {
            long b = attentionMask.getShape().get(0);
            // (B, T, Tk): a per-query pattern (packed rows: block-diagonal), still ANDed with causal
            NDArray keep = attentionMask.getShape().dimension() == 3
                    ? attentionMask.reshape(b, 1, t, tk).toType(DataType.BOOLEAN, false)
                    : attentionMask.reshape(b, 1, 1, tk).toType(DataType.BOOLEAN, false);
            allowed = allowed.logicalAnd(keep);
        }
        return allowed.toType(dtype, false).sub(1).mul(big);
    }

    /** Holds the blocks so their names are {@code blocks.<i>.*}. */
    private static final class BlockList extends Module {
        TransformerBlock add(int index, TransformerBlock block) {
            return child(Integer.toString(index), block);
        }
    }
}
