package dev.align4j.core.peft;

import ai.djl.ndarray.types.Shape;

/**
 * 4-bit NormalFloat (NF4) block-wise quantization with double quantization of the block scales
 * (Dettmers et al. 2023, "QLoRA", sections 3 and appendix E). Quantization runs once on the host over
 * Java arrays; {@link Nf4Weight} holds the result on the device and dequantizes it there.
 *
 * <p>Layout of a tensor of n weights, blocks of b (default 64):
 * <ul>
 *   <li>codes: n/2 bytes, weight 2i in the high nibble and 2i+1 in the low nibble of byte i (the
 *       order bitsandbytes uses); the tail of the last block is padded with the code of 0.0;</li>
 *   <li>absmax: one scale per block, max |w| over the block;</li>
 *   <li>with double quantization the scales are stored as int8 q with one fp32 step s per 256 scales
 *       and one fp32 mean m for the tensor: absmax = q * s + m. Subtracting the mean first centres the
 *       (all positive) scales so the symmetric 8-bit code is used fully (section 3).</li>
 * </ul>
 * Bits per weight: 4 + 32/b without double quantization (4.5 at b = 64) and
 * 4 + 8/b + 32/(256 b) with it (4.127 at b = 64), plus the last block's padding and the mean
 * (32 bits per tensor).
 *
 * <p>The paper's second quantization uses an 8-bit float code; we use a linear int8 code over the
 * mean-centred scales, which costs the same memory. Its error (at most half a step of
 * max|absmax - m|/127, about 0.2% of a typical scale) is small next to NF4's own.
 */
public final class Nf4 {

    /**
     * The 16 NF4 values: quantiles of N(0, 1) normalised to [-1, 1], with an exact zero and 8
     * positive / 7 negative levels (QLoRA appendix E; the table bitsandbytes ships).
     */
    public static final float[] CODE = {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044006f, 0.5626170039176941f, 0.7229568362236023f, 1.0f};

    /** Index of 0.0 in {@link #CODE}, used for padding and all-zero blocks. */
    public static final int ZERO_CODE = 7;

    /** Scales per fp32 step in double quantization (QLoRA section 3: block size 256). */
    public static final int SCALE_BLOCK = 256;

    /** Midpoints between neighbouring codes: a value above MID[i] is nearer CODE[i+1]. */
    private static final float[] MID = new float[15];

    static {
        for (int i = 0; i < 15; i++) {
            MID[i] = (CODE[i] + CODE[i + 1]) / 2;
        }
    }

    private Nf4() {
    }

    /** Index of the code nearest to x (x normally in [-1, 1]; values outside clamp to the ends). */
    public static int nearestCode(float x) {
        // binary search over the 15 midpoints: the answer is how many midpoints lie below x
        int lo = 0;
        int hi = 15;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x > MID[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Quantizes {@code values} (row-major, {@code shape.size()} of them).
     *
     * @param blockSize weights per absmax block, even
     * @param doubleQuant whether to store the block scales as int8 (see the class comment)
     */
    public static Quantized quantize(float[] values, Shape shape, int blockSize, boolean doubleQuant) {
        if (blockSize <= 0 || blockSize % 2 != 0) {
            throw new IllegalArgumentException("block size must be positive and even: " + blockSize);
        }
        if (shape.size() != values.length) {
            throw new IllegalArgumentException(
                    values.length + " values do not fill shape " + shape);
        }
        int n = values.length;
        int blocks = Math.max(1, (n + blockSize - 1) / blockSize);
        float[] absmax = new float[blocks];
        for (int i = 0; i < n; i++) {
            int blk = i / blockSize;
            absmax[blk] = Math.max(absmax[blk], Math.abs(values[i]));
        }
        byte[] qScales = null;
        float[] steps = null;
        float mean = 0;
        if (doubleQuant) {
            double sum = 0;
            for (float a : absmax) {
                sum += a;
            }
            mean = (float) (sum / blocks);
            int groups = (blocks + SCALE_BLOCK - 1) / SCALE_BLOCK;
            qScales = new byte[blocks];
            steps = new float[groups];
            for (int g = 0; g < groups; g++) {
                float max = 0;
                for (int i = g * SCALE_BLOCK; i < Math.min(blocks, (g + 1) * SCALE_BLOCK); i++) {
                    max = Math.max(max, Math.abs(absmax[i] - mean));
                }
                steps[g] = max / 127f;
                for (int i = g * SCALE_BLOCK; i < Math.min(blocks, (g + 1) * SCALE_BLOCK); i++) {
                    int q = steps[g] == 0 ? 0 : Math.round((absmax[i] - mean) / steps[g]);
                    qScales[i] = (byte) Math.max(-127, Math.min(127, q));
                }
            }
            // encode against the scales the decoder will see, so each weight gets the code nearest
            // to it under the scale actually used
            absmax = reconstruct(qScales, steps, mean, blocks);
        }
        byte[] codes = new byte[blocks * blockSize / 2];
        for (int i = 0; i < codes.length; i++) {
            int hi = code(values, 2 * i, n, absmax[2 * i / blockSize]);
            int lo = code(values, 2 * i + 1, n, absmax[(2 * i + 1) / blockSize]);
            codes[i] = (byte) ((hi << 4) | lo);
        }
        return new Quantized(shape, blockSize, codes, doubleQuant ? null : absmax, qScales, steps,
                mean);
    }

    private static int code(float[] values, int i, int n, float scale) {
        if (i >= n || scale == 0) {
            return ZERO_CODE;
        }
        return nearestCode(values[i] / scale);
    }

    /** absmax_i = q_i * step_(i / 256) + mean, in float arithmetic (the device does the same). */
    static float[] reconstruct(byte[] q, float[] steps, float mean, int blocks) {
        float[] out = new float[blocks];
        for (int i = 0; i < blocks; i++) {
            out[i] = q[i] * steps[i / SCALE_BLOCK] + mean;
        }
        return out;
    }

    /**
     * An NF4 tensor on the host. Exactly one of {@code absmax} (plain fp32 scales) or
     * {@code qScales}/{@code steps}/{@code mean} (double quantization) is set.
     *
     * @param shape the original shape, e.g. (out, in)
     * @param blockSize weights per block
     * @param codes packed codes, blocks * blockSize / 2 bytes
     * @param absmax fp32 scale per block, or null with double quantization
     * @param qScales int8 scale per block, or null
     * @param steps fp32 step per 256 scales, or null
     * @param mean the mean subtracted from the scales before their quantization
     */
    public record Quantized(Shape shape, int blockSize, byte[] codes, float[] absmax,
            byte[] qScales, float[] steps, float mean) {

        /** Number of weights n. */
        public long size() {
            return shape.size();
        }

        public int blocks() {
            return codes.length * 2 / blockSize;
        }

        public boolean doubleQuant() {
            return qScales != null;
        }

        /** The per-block scales the decoder uses (reconstructed from int8 with double quantization). */
        public float[] scales() {
            return doubleQuant() ? reconstruct(qScales, steps, mean, blocks()) : absmax.clone();
        }

        /** Code index (0..15) of weight i. */
        public int codeAt(long i) {
            int b = codes[(int) (i >>> 1)] & 0xff;
            return (i & 1) == 0 ? b >>> 4 : b & 0x0f;
        }

        /** Dequantized weights, row-major: CODE[code_i] * scale_(i / blockSize). */
        public float[] dequantize() {
            float[] scales = scales();
            float[] out = new float[(int) size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = CODE[codeAt(i)] * scales[i / blockSize];
            }
            return out;
        }

        /** Bytes this representation holds: codes plus scales (plus steps and mean). */
        public long bytes() {
            if (doubleQuant()) {
                return codes.length + qScales.length + 4L * steps.length + 4;
            }
            return codes.length + 4L * absmax.length;
        }

        /** Storage per weight in bits, {@code 8 * bytes() / n}: 4.127 at block 64 with double quant. */
        public double bitsPerParameter() {
            return 8.0 * bytes() / size();
        }
    }
}
