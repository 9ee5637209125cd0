package dev.align4j.core.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.align4j.core.model.CausalLM;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-layer, one-head GPT-2 checkpoint written byte by byte in the layout of the original
 * openai-community/gpt2 files (no {@code transformer.} prefix, an {@code attn.bias} mask buffer,
 * Conv1D weights stored (in, out), q/k/v fused, position table in F16), with weights simple enough
 * that the logits follow from a few lines of arithmetic: q = k = 0 makes attention a running mean
 * of v, and c_fc = 0 makes the MLP a constant. The non-symmetric v, c_proj and MLP matrices would
 * expose a missing transpose or a wrong qkv slice.
 */
class HandWrittenGpt2Test {

    private static final int V = 5;
    private static final int C = 4;
    private static final int P = 4;
    private static final int F = 16;
    private static final double EPS = 1e-5;

    @TempDir
    Path dir;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static double wte(int v, int j) {
        return 0.1 * (v + 1) * (j % 2 == 0 ? 1 : -1) + 0.05 * j;
    }

    /** Multiples of 1/64, exact in float16. */
    static double wpe(int p, int j) {
        return (p + 1) * (j + 1) / 64.0;
    }

    /** v part of c_attn, stored (in, out). */
    static double wv(int in, int out) {
        return (in == out ? 1 : 0) + 0.1 * (in - out);
    }

    static final double[] BV = {0.1, 0, -0.1, 0.2};

    /** attn.c_proj, stored (in, out): a shift plus a constant. */
    static double wo(int in, int out) {
        return (in + 1 == out ? 1 : 0) + 0.05;
    }

    static double bfc(int k) {
        return 0.1 * k - 0.5;
    }

    /** mlp.c_proj, stored (in = F, out = C). */
    static double wp(int in, int out) {
        return 0.01 * (in + 1) * (out % 2 == 0 ? 1 : -1);
    }

    static final double[] BP = {0.01, 0.02, 0.03, 0.04};
    static final double[] LNF_W = {1, 2, 1, 0.5};
    static final double[] LNF_B = {0, 0.1, 0, -0.1};

    @Test
    void logitsMatchHandComputation() throws Exception {
        writeCheckpoint();
        CausalLM model = HfModelIO.load(dir, manager);
        int[] ids = {2, 0, 4, 1};
        float[] got = HfModelIOTest.logits(model, manager, ids);
        double[][] want = expected(ids);
        for (int t = 0; t < ids.length; t++) {
            for (int v = 0; v < V; v++) {
                assertThat((double) got[t * V + v]).as("t=%d v=%d", t, v)
                        .isCloseTo(want[t][v], within(1e-5));
            }
        }
    }

    private static double[][] expected(int[] ids) {
        int t = ids.length;
        double[][] x = new double[t][C];
        double[][] vs = new double[t][C];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < C; j++) {
                x[i][j] = wte(ids[i], j) + wpe(i, j);
            }
            double[] h = layerNorm(x[i], null, null);
            for (int o = 0; o < C; o++) {
                vs[i][o] = BV[o];
                for (int j = 0; j < C; j++) {
                    vs[i][o] += h[j] * wv(j, o);
                }
            }
        }
        // MLP with c_fc = 0: the same vector at every position
        double[] mlp = BP.clone();
        for (int k = 0; k < F; k++) {
            double b = bfc(k);
            double g = 0.5 * b * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (b + 0.044715 * b * b * b)));
            for (int o = 0; o < C; o++) {
                mlp[o] += g * wp(k, o);
            }
        }
        double[][] logits = new double[t][V];
        for (int i = 0; i < t; i++) {
            double[] mean = new double[C];
            for (int s = 0; s <= i; s++) {
                for (int j = 0; j < C; j++) {
                    mean[j] += vs[s][j] / (i + 1);
                }
            }
            for (int o = 0; o < C; o++) {
                for (int j = 0; j < C; j++) {
                    x[i][o] += mean[j] * wo(j, o);
                }
                x[i][o] += mlp[o];
            }
            double[] f = layerNorm(x[i], LNF_W, LNF_B);
            for (int v = 0; v < V; v++) {
                for (int j = 0; j < C; j++) {
                    logits[i][v] += f[j] * wte(v, j);
                }
            }
        }
        return logits;
    }

    private static double[] layerNorm(double[] x, double[] w, double[] b) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = (x[j] - mean) / Math.sqrt(var + EPS) * (w == null ? 1 : w[j])
                    + (b == null ? 0 : b[j]);
        }
        return out;
    }

    private void writeCheckpoint() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"GPT2LMHeadModel\"],"
                + " \"model_type\": \"gpt2\", \"vocab_size\": 5, \"n_positions\": 4, \"n_ctx\": 4,"
                + " \"n_embd\": 4, \"n_layer\": 1, \"n_head\": 1, \"n_inner\": null,"
                + " \"activation_function\": \"gelu_new\", \"layer_norm_epsilon\": 1e-05}");
        List<Object[]> tensors = new ArrayList<>();
        double[] wteData = new double[V * C];
        for (int v = 0; v < V; v++) {
            for (int j = 0; j < C; j++) {
                wteData[v * C + j] = wte(v, j);
            }
        }
        tensors.add(new Object[] {"wte.weight", new int[] {V, C}, wteData, "F32"});
        double[] wpeData = new double[P * C];
        for (int p = 0; p < P; p++) {
            for (int j = 0; j < C; j++) {
                wpeData[p * C + j] = wpe(p, j);
            }
        }
        tensors.add(new Object[] {"wpe.weight", new int[] {P, C}, wpeData, "F16"});
        tensors.add(new Object[] {"h.0.ln_1.weight", new int[] {C}, fill(C, 1), "F32"});
        tensors.add(new Object[] {"h.0.ln_1.bias", new int[] {C}, fill(C, 0), "F32"});
        // c_attn (in=C, out=3C): columns [0,C) q, [C,2C) k, [2C,3C) v
        double[] cAttn = new double[C * 3 * C];
        double[] cAttnBias = new double[3 * C];
        for (int in = 0; in < C; in++) {
            for (int o = 0; o < C; o++) {
                cAttn[in * 3 * C + 2 * C + o] = wv(in, o);
            }
        }
        System.arraycopy(BV, 0, cAttnBias, 2 * C, C);
        tensors.add(new Object[] {"h.0.attn.c_attn.weight", new int[] {C, 3 * C}, cAttn, "F32"});
        tensors.add(new Object[] {"h.0.attn.c_attn.bias", new int[] {3 * C}, cAttnBias, "F32"});
        tensors.add(new Object[] {"h.0.attn.c_proj.weight", new int[] {C, C},
                matrix(C, C, HandWrittenGpt2Test::wo), "F32"});
        tensors.add(new Object[] {"h.0.attn.c_proj.bias", new int[] {C}, fill(C, 0), "F32"});
        // the causal-mask buffer old checkpoints carry; the loader must skip it
        tensors.add(new Object[] {"h.0.attn.bias", new int[] {1, 1, P, P}, fill(P * P, 1), "F32"});
        tensors.add(new Object[] {"h.0.ln_2.weight", new int[] {C}, fill(C, 1), "F32"});
        tensors.add(new Object[] {"h.0.ln_2.bias", new int[] {C}, fill(C, 0), "F32"});
        tensors.add(new Object[] {"h.0.mlp.c_fc.weight", new int[] {C, F}, fill(C * F, 0), "F32"});
        double[] bfc = new double[F];
        for (int k = 0; k < F; k++) {
            bfc[k] = bfc(k);
        }
        tensors.add(new Object[] {"h.0.mlp.c_fc.bias", new int[] {F}, bfc, "F32"});
        tensors.add(new Object[] {"h.0.mlp.c_proj.weight", new int[] {F, C},
                matrix(F, C, HandWrittenGpt2Test::wp), "F32"});
        tensors.add(new Object[] {"h.0.mlp.c_proj.bias", new int[] {C}, BP, "F32"});
        tensors.add(new Object[] {"ln_f.weight", new int[] {C}, LNF_W, "F32"});
        tensors.add(new Object[] {"ln_f.bias", new int[] {C}, LNF_B, "F32"});
        writeSafetensors(dir.resolve("model.safetensors"), tensors);
    }

    private interface Cell {
        double at(int row, int col);
    }

    private static double[] matrix(int rows, int cols, Cell cell) {
        double[] m = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r * cols + c] = cell.at(r, c);
            }
        }
        return m;
    }

    private static double[] fill(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** The format by hand: u64 LE header length, JSON header, raw LE data. */
    private static void writeSafetensors(Path file, List<Object[]> tensors) throws Exception {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Object[] t : tensors) {
            int[] shape = (int[]) t[1];
            double[] values = (double[]) t[2];
            boolean half = t[3].equals("F16");
            int begin = data.size();
            ByteBuffer buf = ByteBuffer.allocate(values.length * (half ? 2 : 4))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                if (half) {
                    buf.putShort(toHalf(v));
                } else {
                    buf.putFloat((float) v);
                }
            }
            data.write(buf.array());
            StringBuilder dims = new StringBuilder();
            for (int d : shape) {
                dims.append(dims.length() == 0 ? "" : ",").append(d);
            }
            header.append(",\"").append(t[0]).append("\":{\"dtype\":\"").append(t[3])
                    .append("\",\"shape\":[").append(dims).append("],\"data_offsets\":[")
                    .append(begin).append(',').append(data.size()).append("]}");
        }
        header.append('}');
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data.toByteArray());
        Files.write(file, out.toByteArray());
    }

    /** float16 bits of a positive normal value with at most 11 significant bits (exact). */
    private static short toHalf(double v) {
        int exp = Math.getExponent(v);
        int mantissa = (int) Math.round((v / Math.pow(2, exp) - 1) * 1024);
        return (short) (((exp + 15) << 10) | mantissa);
    }
}
