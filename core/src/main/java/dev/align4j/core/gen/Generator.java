package dev.align4j.core.gen;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.KvCache;
import dev.align4j.core.tokenizer.Tokenizer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Batched autoregressive decoding with the KV cache.
 *
 * <p><b>Batching.</b> Prompts of different lengths are left-padded to the longest, L, with an
 * attention mask and explicit positions (cumsum(mask) - 1), so every row sees exactly the positions
 * and keys it would see alone and the last column is every row's newest token. A batch therefore
 * decodes the same tokens as one prompt at a time (up to float rounding in the batched matmuls).
 * Finished rows keep being fed a pad id until the whole batch is done; their extra tokens are not
 * reported.
 *
 * <p><b>Sampling on the host.</b> At each step the last-position logits (B, V) are copied to the
 * host and each row is processed and sampled in Java by {@link LogitsProcessors}, drawing one
 * uniform number per step from that row's own {@link SplittableRandom} seeded with the request
 * seed. A row's tokens thus depend only on its prompt, its seed and the parameters, never on which
 * other requests share the batch. The copy costs B x V floats per step (0.2 MB for B=1, V=50k),
 * small next to a forward pass, and we need the ids on the host anyway to check EOS and stop
 * strings.
 *
 * <p><b>Memory.</b> Every step runs in an {@link NDScope} on a sub-manager of the model's manager;
 * only the KV cache (which takes its arrays out of the scope) lives across steps, and it is closed
 * at the end, so memory stays flat over long generations.
 *
 * <p><b>Speed.</b> The cache is preallocated for prompt + max_new_tokens positions and written in
 * place; unpadded batches pass no attention mask; single-token steps on the CPU run with one
 * intra-op thread ({@link DecodeThreads}); with top-k, sampling touches only the k survivors after
 * the selection. docs/DESIGN.md (Generation speed) has the measurements.
 */
public final class Generator {

    private static final Logger LOG = LogManager.getLogger(Generator.class);
    /** Fed to finished rows and used for left padding; masked out, so any valid id works. */
    private static final int PAD = 0;

    private final CausalLM model;
    private final Function<int[], String> decoder;

    /** A generator without a decoder: no text, no stop strings. */
    public Generator(CausalLM model) {
        this(model, (Function<int[], String>) null);
    }

    /** @param decoder token ids to text (may be null); used for {@link Generation#text} and stop strings */
    public Generator(CausalLM model, Function<int[], String> decoder) {
        this.model = model;
        this.decoder = decoder;
    }

    public Generator(CausalLM model, Tokenizer tokenizer) {
        this(model, tokenizer::decode);
    }

    /** Continues one prompt. */
    public Generation generate(int[] prompt, SamplingParams params) {
        return generate(List.of(prompt), params).get(0);
    }

    /** Continues every prompt; row i samples with seed {@code rowSeed(params.seed(), i)}. */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params) {
        return generate(prompts, null, params, null);
    }

    /**
     * Continues every prompt as one batch.
     *
     * @param prompts token ids, each non-empty; lengths may differ
     * @param seeds one seed per prompt, or null for {@link SamplingParams#rowSeed} of the base seed
     *     and the row index. The same prompt, seed and parameters give the same output in any batch.
     * @param params sampling parameters
     * @param listener receives tokens as they are produced, or null
     * @return one {@link Generation} per prompt, in order
     */
    public List<Generation> generate(List<int[]> prompts, long[] seeds, SamplingParams params,
            GenerationListener listener) {
        int b = prompts.size();
        if (b == 0) {
            return List.of();
        }
        if (seeds != null && seeds.length != b) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + b + " prompts");
        }
        if (!params.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop_strings need a generator with a decoder");
        }
        int longest = validate(prompts, params);
        Row[] rows = new Row[b];
        for (int i = 0; i < b; i++) {
            long seed = seeds != null ? seeds[i] : SamplingParams.rowSeed(params.seed(), i);
            rows[i] = new Row(prompts.get(i), params.maxNewTokens(), seed);
        }
        long start = System.nanoTime();
        Batch batch = new Batch(rows, longest, params.maxNewTokens());
        NDManager base = model.embedTokens().weight().getArray().getManager();
        int layers = model.config().nLayers();
        try (NDManager m = base.newSubManager();
                KvCache cache = params.useCache() ? new KvCache(layers, batch.capacity) : null) {
            float[][] logits; // {B x V logits, B log-sum-exps}
            try (NDScope ignored = new NDScope()) {
                logits = lastLogits(m, batch, 0, cache);
            }
            for (int step = 0; step < params.maxNewTokens(); step++) {
                int[] next = new int[b];
                boolean anyActive = false;
                for (int r = 0; r < b; r++) {
                    Row row = rows[r];
                    next[r] = PAD;
                    if (row.finished != null) {
                        continue;
                    }
                    next[r] = pick(row, logits[0], logits[1][r], r, params);
                    if (listener != null) {
                        listener.onToken(r, row.generated - 1, next[r]);
                    }
                    checkFinished(row, params);
                    if (row.finished != null) {
                        if (listener != null) {
                            listener.onFinish(r, row.result);
                        }
                    } else {
                        anyActive = true;
                    }
                }
                if (!anyActive) {
                    break;
                }
                batch.append(next);
                try (NDScope ignored = new NDScope()) {
                    logits = lastLogits(m, batch, cache == null ? 0 : batch.length - 1, cache);
                }
            }
        }
        List<Generation> out = new ArrayList<>(b);
        long newTokens = 0;
        for (Row row : rows) {
            out.add(row.result);
            newTokens += row.generated;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.debug("generated {} tokens for {} prompts in {} s ({} tokens/s, cache {})", newTokens, b,
                String.format("%.3f", seconds), String.format("%.1f", newTokens / seconds),
                params.useCache());
        return out;
    }

    private int validate(List<int[]> prompts, SamplingParams params) {
        int vocab = model.config().vocabSize();
        int longest = 0;
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            if (p == null || p.length == 0) {
                throw new UserInputException("prompt " + i + " is empty");
            }
            for (int id : p) {
                if (id < 0 || id >= vocab) {
                    throw new UserInputException("prompt " + i + " has token id " + id
                            + " outside the model's vocabulary [0, " + vocab + ")");
                }
            }
            longest = Math.max(longest, p.length);
        }
        int ctx = model.config().contextLength();
        if (longest + params.maxNewTokens() > ctx) {
            throw new UserInputException("longest prompt (" + longest + " tokens) + max_new_tokens ("
                    + params.maxNewTokens() + ") exceeds the model's context_length " + ctx);
        }
        return longest;
    }

    /**
     * Runs the model on columns {@code from .. length-1} of the batch (everything without a cache,
     * the newest column with one) and returns the last position's logits (B x V) and each row's
     * log-sum-exp (B) on the host. The log-sum-exp is computed on the device (one vectorised
     * kernel) because it is the only full-vocabulary pass sampling needs besides top-k.
     */
    private float[][] lastLogits(NDManager m, Batch batch, int from, KvCache cache) {
        int b = batch.rows;
        int t = batch.length - from;
        int[] ids = new int[b * t];
        long[] pos = new long[b * t];
        // without padding every key is visible: no mask, so the model builds no bias for decode steps
        int[] mask = batch.padded ? new int[b * batch.length] : null;
        for (int r = 0; r < b; r++) {
            System.arraycopy(batch.ids, r * batch.capacity + from, ids, r * t, t);
            System.arraycopy(batch.positions, r * batch.capacity + from, pos, r * t, t);
            if (mask != null) {
                System.arraycopy(batch.mask, r * batch.capacity, mask, r * batch.length,
                        batch.length);
            }
        }
        // single-token steps are too small to share out over threads (see DecodeThreads)
        try (DecodeThreads ignored = t == 1 ? DecodeThreads.limit(m.getDevice()) : null) {
            NDArray hidden = model.hidden(m.create(ids, new Shape(b, t)),
                    mask == null ? null : m.create(mask, new Shape(b, batch.length)),
                    m.create(pos, new Shape(b, t)), cache, false); // (B, t, C)
            // only the last position is sampled from: skip the LM head (C x V) on the other t - 1
            NDArray logits = model.logits(hidden.get(new NDIndex(":, -1, :"))); // (B, V)
            NDArray f32 = logits.toType(DataType.FLOAT32, false);
            NDArray lse = f32.get(new NDIndex(":, 0"))
                    .sub(f32.logSoftmax(1).get(new NDIndex(":, 0")));
            return new float[][] {f32.toFloatArray(), lse.toFloatArray()};
        }
    }

    /** Processes row {@code r} of the logits as {@code params} say, picks a token and records it. */
    private int pick(Row row, float[] logits, float logSumExp, int r, SamplingParams params) {
        int vocab = model.config().vocabSize();
        int offset = r * vocab;
        float[] work = Arrays.copyOfRange(logits, offset, offset + vocab);
        LogitsProcessors.repetitionPenalty(work, row.context, row.contextLength,
                params.repetitionPenalty());
        if (row.generated < params.minNewTokens()) {
            LogitsProcessors.suppress(work, stopIds(params));
        }
        int token;
        if (params.greedy()) {
            token = LogitsProcessors.argmax(work);
        } else {
            LogitsProcessors.temperature(work, params.temperature());
            int k = params.topK();
            if (k > 0 && k < vocab) {
                // same id as the full-row path below, touching only the top k after the selection
                token = LogitsProcessors.sampleTopK(work, k, params.topP(), row.random.nextDouble());
            } else {
                float[] probs = LogitsProcessors.softmax(work);
                LogitsProcessors.topP(probs, params.topP());
                token = LogitsProcessors.sample(probs, row.random.nextDouble());
            }
        }
        // the raw model log-prob at temperature 1 (what PPO needs), whatever processing chose it
        row.add(token, logits[offset + token] - logSumExp);
        return token;
    }

    private static int[] stopIds(SamplingParams params) {
        int[] ids = new int[params.stopTokenIds().size() + 1];
        for (int i = 0; i < ids.length - 1; i++) {
            ids[i] = params.stopTokenIds().get(i);
        }
        ids[ids.length - 1] = params.eosTokenId();
        return ids;
    }

    /** Sets {@code row.finished} and {@code row.result} when its newest token ends it. */
    private void checkFinished(Row row, SamplingParams params) {
        int token = row.context[row.contextLength - 1];
        boolean mayStop = row.generated >= params.minNewTokens();
        if (mayStop && token == params.eosTokenId()) {
            row.finish(FinishReason.EOS, decode(row, row.generated - 1));
        } else if (mayStop && params.stopTokenIds().contains(token)) {
            row.finish(FinishReason.STOP, decode(row, row.generated - 1));
        } else if (mayStop && !params.stopStrings().isEmpty()) {
            String text = decode(row, row.generated);
            int cut = -1;
            for (String s : params.stopStrings()) {
                int at = text.indexOf(s);
                if (at >= 0 && (cut < 0 || at < cut)) {
                    cut = at;
                }
            }
            if (cut >= 0) {
                row.finish(FinishReason.STOP, text.substring(0, cut));
            }
        }
        if (row.finished == null && row.generated == params.maxNewTokens()) {
            row.finish(FinishReason.LENGTH, decode(row, row.generated));
        }
    }

    /** Text of the first {@code n} generated tokens, or null without a decoder. */
    private String decode(Row row, int n) {
        if (decoder == null) {
            return null;
        }
        return decoder.apply(Arrays.copyOfRange(row.context, row.promptLength,
                row.promptLength + n));
    }

    /** Per-request state: the prompt and tokens so far, log-probs and the request's own RNG. */
    private static final class Row {
        final int[] context;
        final int promptLength;
        final float[] logProbs;
        final SplittableRandom random;
        int contextLength;
        int generated;
        FinishReason finished;
        Generation result;

        Row(int[] prompt, int maxNew, long seed) {
            context = Arrays.copyOf(prompt, prompt.length + maxNew);
            promptLength = prompt.length;
            contextLength = prompt.length;
            logProbs = new float[maxNew];
            random = new SplittableRandom(seed);
        }

        void add(int token, float logProb) {
            context[contextLength++] = token;
            logProbs[generated++] = logProb;
        }

        void finish(FinishReason reason, String text) {
            finished = reason;
            result = new Generation(Arrays.copyOfRange(context, promptLength, contextLength),
                    Arrays.copyOf(logProbs, generated), text, reason);
        }
    }

    /**
     * Host copy of the left-padded batch, row-major with room for every new token: ids, mask and
     * positions of shape (B, capacity) of which the first {@code length} columns are filled.
     */
    private static final class Batch {
        final int rows;
        final int capacity;
        final int[] ids;
        final int[] mask;
        final long[] positions;
        /** Whether any row is left-padded (prompts of different lengths). */
        final boolean padded;
        int length;

        Batch(Row[] rowStates, int longest, int maxNew) {
            rows = rowStates.length;
            capacity = longest + maxNew;
            ids = new int[rows * capacity];
            mask = new int[rows * capacity];
            positions = new long[rows * capacity];
            boolean anyPad = false;
            for (int r = 0; r < rows; r++) {
                anyPad |= rowStates[r].promptLength < longest;
                int pad = longest - rowStates[r].promptLength;
                for (int j = 0; j < rowStates[r].promptLength; j++) {
                    ids[r * capacity + pad + j] = rowStates[r].context[j];
                    mask[r * capacity + pad + j] = 1;
                    // cumsum(mask) - 1; pad columns stay at position 0 (they are masked anyway)
                    positions[r * capacity + pad + j] = j;
                }
            }
            padded = anyPad;
            length = longest;
        }

        /** Adds one column: the new token of each row, visible, one position further. */
        void append(int[] next) {
            for (int r = 0; r < rows; r++) {
                int at = r * capacity + length;
                ids[at] = next[r];
                mask[at] = 1;
                positions[at] = positions[at - 1] + 1;
            }
            length++;
        }
    }
}
