package dev.align4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * One iteration's sampled sequences and everything computed about them, on the host. Row i is
 * {@code prompts[i]} followed by {@code responses[i]} (its EOS included when it has one).
 *
 * <p>Layout for every forward pass (policy, reference, critic): prompts left-padded to the longest,
 * P, and responses right-padded to the longest, R, so response token t of every row sits in column
 * P + t and is predicted from column P + t - 1. Positions are cumsum(mask) - 1 per row, so padding
 * changes nothing a row sees.
 *
 * <p>Per-token arrays below are (B, R) with zeros past a row's length. This is the experience
 * buffer between the roles (rollout, reference, reward, critic): each fills its fields in turn, so
 * they are public and mutable by design; {@link Rollouts#generate} makes one.
 */
public final class Rollout {

    public final int[][] prompts;
    public final int[][] responses;
    public final int[] lengths;
    public final boolean[] eos;
    public final int promptWidth;
    public final int responseWidth;

    /** Policy log-probs of the sampled tokens, recomputed by a no-dropout forward in this layout. */
    public float[][] logp;
    public float[][] refLogp;
    public float[][] values;
    /** Per-token policy entropy (nats), for logging. */
    public float[][] entropy;
    public float[] rawScores;
    public float[] scores;
    public float[][] rewards;
    public float[][] advantages;
    public float[][] returns;

    public Rollout(List<int[]> prompts, List<int[]> responses, boolean[] eos) {
        int b = prompts.size();
        this.prompts = prompts.toArray(new int[0][]);
        this.responses = responses.toArray(new int[0][]);
        this.eos = eos;
        this.lengths = new int[b];
        int p = 1;
        int r = 1;
        for (int i = 0; i < b; i++) {
            lengths[i] = this.responses[i].length;
            p = Math.max(p, this.prompts[i].length);
            r = Math.max(r, lengths[i]);
        }
        this.promptWidth = p;
        this.responseWidth = r;
    }

    public int size() {
        return prompts.length;
    }

    /** The forward-pass tensors of {@code rows} (see the class comment). */
    public Tensors tensors(int[] rows, NDManager m) {
        int b = rows.length;
        int w = promptWidth + responseWidth;
        int[] ids = new int[b * w];
        int[] mask = new int[b * w];
        long[] pos = new long[b * w];
        int[] targets = new int[b * responseWidth];
        float[] rmask = new float[b * responseWidth];
        for (int k = 0; k < b; k++) {
            int[] p = prompts[rows[k]];
            int[] resp = responses[rows[k]];
            int start = promptWidth - p.length;
            for (int j = 0; j < p.length; j++) {
                ids[k * w + start + j] = p[j];
                mask[k * w + start + j] = 1;
                pos[k * w + start + j] = j;
            }
            for (int t = 0; t < resp.length; t++) {
                int col = promptWidth + t;
                ids[k * w + col] = resp[t];
                mask[k * w + col] = 1;
                pos[k * w + col] = p.length + t;
                targets[k * responseWidth + t] = resp[t];
                rmask[k * responseWidth + t] = 1f;
            }
        }
        return new Tensors(m.create(ids, new Shape(b, w)), m.create(mask, new Shape(b, w)),
                m.create(pos, new Shape(b, w)), m.create(targets, new Shape(b, responseWidth)),
                m.create(rmask, new Shape(b, responseWidth)), promptWidth, responseWidth);
    }

    /** Rows {@code rows} of a (B, R) host array as a (b, R) NDArray. */
    public NDArray gather(float[][] x, int[] rows, NDManager m) {
        float[] flat = new float[rows.length * responseWidth];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(x[rows[k]], 0, flat, k * responseWidth, responseWidth);
        }
        return m.create(flat, new Shape(rows.length, responseWidth));
    }

    /** Copies a (b, R) NDArray into rows {@code rows} of {@code into}, zero past each row's length. */
    public void scatter(NDArray x, int[] rows, float[][] into) {
        float[] flat = x.toFloatArray();
        for (int k = 0; k < rows.length; k++) {
            float[] row = new float[responseWidth];
            System.arraycopy(flat, k * responseWidth, row, 0, lengths[rows[k]]);
            into[rows[k]] = row;
        }
    }

    /** Total response tokens of {@code rows}. */
    public long tokens(int[] rows) {
        long n = 0;
        for (int r : rows) {
            n += lengths[r];
        }
        return n;
    }

    /**
     * @param ids (b, P + R) token ids
     * @param mask (b, P + R) 1 for real tokens
     * @param positions (b, P + R)
     * @param targets (b, R) response tokens
     * @param responseMask (b, R) float 1 for real response tokens
     */
    public record Tensors(NDArray ids, NDArray mask, NDArray positions, NDArray targets, NDArray responseMask,
            int promptWidth, int responseWidth) {
    }
}
