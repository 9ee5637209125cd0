package dev.align4j.core.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

class Nf4Test {

    private static final Logger LOG = LogManager.getLogger(Nf4Test.class);

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static float[] gaussian(int n, double std, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (std * r.nextGaussian());
        }
        return v;
    }

    /** Plain reference: per-block absmax, then the code with the smallest |x/absmax - c| by scan. */
    private static float[] naiveRoundTrip(float[] w, int block) {
        float[] out = new float[w.length];
        for (int start = 0; start < w.length; start += block) {
            int end = Math.min(w.length, start + block);
            double max = 0;
            for (int i = start; i < end; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            for (int i = start; i < end; i++) {
                double x = max == 0 ? 0 : w[i] / max;
                double best = Double.MAX_VALUE;
                float code = 0;
                for (float c : Nf4.CODE) {
                    if (Math.abs(x - c) < best) {
                        best = Math.abs(x - c);
                        code = c;
                    }
                }
                out[i] = (float) (code * max);
            }
        }
        return out;
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    @Test
    void codeTableIsTheQloraTableSortedWithExactZeroAndEnds() {
        assertThat(Nf4.CODE).hasSize(16);
        assertThat(Nf4.CODE[0]).isEqualTo(-1f);
        assertThat(Nf4.CODE[15]).isEqualTo(1f);
        assertThat(Nf4.CODE[Nf4.ZERO_CODE]).isEqualTo(0f);
        assertThat(Nf4.CODE[8]).isEqualTo(0.07958029955625534f);
        assertThat(Nf4.CODE[1]).isEqualTo(-0.6961928009986877f);
        for (int i = 1; i < 16; i++) {
            assertThat(Nf4.CODE[i]).isGreaterThan(Nf4.CODE[i - 1]);
        }
        for (int i = 0; i < 16; i++) {
            assertThat(Nf4.nearestCode(Nf4.CODE[i])).isEqualTo(i);
        }
        assertThat(Nf4.nearestCode(-7f)).isEqualTo(0);
        assertThat(Nf4.nearestCode(7f)).isEqualTo(15);
    }

    @Test
    void singleQuantizationEqualsNaiveNearestCodeReference() {
        float[] w = gaussian(64 * 40 + 10, 0.7, 1); // a partial last block too
        Nf4.Quantized q = Nf4.quantize(w, new Shape(w.length), 64, false);
        float[] got = q.dequantize();
        float[] want = naiveRoundTrip(w, 64);
        for (int i = 0; i < w.length; i++) {
            assertThat(got[i]).as("i=%d", i).isCloseTo(want[i], within(1e-6f));
        }
    }

    @Test
    void errorOnGaussianWeightsIsWithinNf4Expectations() {
        double std = 0.5;
        float[] w = gaussian(64 * 256 * 4, std, 2);
        Shape shape = new Shape(256, 256);
        double single = meanAbsDiff(w, Nf4.quantize(w, shape, 64, false).dequantize()) / std;
        double dq = meanAbsDiff(w, Nf4.quantize(w, shape, 64, true).dequantize()) / std;
        double naive = meanAbsDiff(w, naiveRoundTrip(w, 64)) / std;
        LOG.info("NF4 mean |error| / std: single {} double-quant {} naive {}", single, dq, naive);
        // a 16-level code over blocks of 64 N(0,1) values: around 0.07-0.08 std
        assertThat(single).isLessThan(0.1).isCloseTo(naive, within(1e-6));
        // the int8 scales add little on top
        assertThat(dq).isLessThan(single * 1.02);
        // uniform INT4 over the same blocks is clearly worse; NF4 is the better code for N(0,1)
        assertThat(single).isLessThan(uniformInt4Error(w, 64) / std);
    }

    /** Symmetric 4-bit integer code (-7..7) * absmax/7 over the same blocks, for comparison. */
    private static double uniformInt4Error(float[] w, int block) {
        double s = 0;
        for (int start = 0; start < w.length; start += block) {
            double max = 0;
            for (int i = start; i < start + block; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            for (int i = start; i < start + block; i++) {
                s += Math.abs(w[i] - Math.round(w[i] / max * 7) * max / 7);
            }
        }
        return s / w.length;
    }

    @Test
    void valuesOnTheCodeGridRoundTripExactly() {
        Random r = new Random(3);
        float[] w = new float[64 * 8];
        for (int blk = 0; blk < 8; blk++) {
            float scale = 0.1f + r.nextFloat();
            for (int i = 0; i < 64; i++) {
                w[blk * 64 + i] = Nf4.CODE[i == 0 ? 15 : r.nextInt(16)] * scale;
            }
        }
        assertThat(Nf4.quantize(w, new Shape(8, 64), 64, false).dequantize()).containsExactly(w);
        // with double quantization the grid is the one of the reconstructed scales
        Nf4.Quantized dq = Nf4.quantize(w, new Shape(8, 64), 64, true);
        float[] scales = dq.scales();
        float[] onGrid = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            onGrid[i] = Nf4.CODE[Nf4.nearestCode(w[i] / scales[i / 64])] * scales[i / 64];
            assertThat(scales[i / 64]).isCloseTo(Math.abs(w[i / 64 * 64]), within(0.01f));
        }
        assertThat(Nf4.quantize(onGrid, new Shape(8, 64), 64, true).dequantize())
                .containsExactly(onGrid);
    }

    @Test
    void codesArePackedTwoPerByteHighNibbleFirst() {
        float[] w = {1f, -1f, 0f, 0.5626170039176941f};
        Nf4.Quantized q = Nf4.quantize(w, new Shape(4), 4, false);
        assertThat(q.codes()).containsExactly((byte) 0xf0, (byte) 0x7d);
        assertThat(q.codeAt(0)).isEqualTo(15);
        assertThat(q.codeAt(3)).isEqualTo(13);
    }

    @Test
    void allZeroBlocksStayZero() {
        float[] w = new float[128];
        w[100] = 2f;
        for (boolean dq : new boolean[] {false, true}) {
            float[] back = Nf4.quantize(w, new Shape(128), 64, dq).dequantize();
            for (int i = 0; i < 64; i++) {
                assertThat(back[i]).isEqualTo(0f);
            }
            assertThat(back[100]).isCloseTo(2f, within(0.02f));
        }
    }

    @Test
    void doubleQuantizationStoresAboutFourPointOneTwoSevenBitsPerWeight() {
        float[] w = gaussian(64 * 256 * 4, 1, 4);
        Nf4.Quantized dq = Nf4.quantize(w, new Shape(w.length), 64, true);
        Nf4.Quantized single = Nf4.quantize(w, new Shape(w.length), 64, false);
        // n/2 code bytes + n/64 int8 scales + (n/64/256) fp32 steps + one fp32 mean
        long n = w.length;
        assertThat(dq.bytes()).isEqualTo(n / 2 + n / 64 + 4 * (n / 64 / 256) + 4);
        assertThat(single.bytes()).isEqualTo(n / 2 + 4 * (n / 64));
        LOG.info("NF4 bits per parameter: double quant {}, single {}", dq.bitsPerParameter(),
                single.bitsPerParameter());
        assertThat(dq.bitsPerParameter()).isLessThan(4.2).isCloseTo(4.127, within(0.001));
        assertThat(single.bitsPerParameter()).isEqualTo(4.5);
    }

    @Test
    void deviceDequantizationEqualsHostDequantization() {
        for (boolean dq : new boolean[] {false, true}) {
            float[] w = gaussian(48 * 40, 0.3, 5); // 30 blocks, padded scale group
            Nf4.Quantized q = Nf4.quantize(w, new Shape(48, 40), 64, dq);
            try (Nf4Weight dev = Nf4Weight.upload(q, manager)) {
                NDArray back = dev.dequantize(DataType.FLOAT32);
                assertThat(back.getShape()).isEqualTo(new Shape(48, 40));
                assertThat(back.toFloatArray()).containsExactly(q.dequantize());
                assertThat(dev.bytes()).isEqualTo(q.bytes());
            }
        }
    }

    @Test
    void deviceDequantizationSpeedIsLogged() {
        // not an assertion (no timing asserts in tests): the number goes to the log for the report
        int rows = 1024;
        float[] w = gaussian(rows * rows, 0.02, 6);
        long t0 = System.nanoTime();
        Nf4.Quantized q = Nf4.quantize(w, new Shape(rows, rows), 64, true);
        long t1 = System.nanoTime();
        try (Nf4Weight dev = Nf4Weight.upload(q, manager); NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(new Shape(8, rows));
            x.matMul(dev.dequantize(DataType.FLOAT32).transpose()).getFloat(0, 0); // warm-up
            int reps = 20;
            long t2 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                try (NDScope scope = new NDScope()) {
                    dev.dequantize(DataType.FLOAT32).getFloat(0, 0);
                }
            }
            long t3 = System.nanoTime();
            NDArray dense = step.create(w, new Shape(rows, rows));
            long t4 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                x.matMul(dense.transpose()).getFloat(0, 0);
            }
            long t5 = System.nanoTime();
            LOG.info("NF4 1024x1024: host quantize {} ms; device dequantize {} ms/call; "
                    + "matmul (8x1024)x(1024x1024) {} ms/call", (t1 - t0) / 1e6,
                    (t3 - t2) / 1e6 / reps, (t5 - t4) / 1e6 / reps);
        }
    }
}
