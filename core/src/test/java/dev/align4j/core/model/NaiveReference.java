package dev.align4j.core.model;

import ai.djl.nn.Parameter;

import java.util.Map;

/**
 * A second implementation of the forward pass in plain double loops, written from the papers'
 * equations, to check {@link CausalLM} against values computed another way. Tiny sizes only.
 */
final class NaiveReference {

    private final ModelConfig c;
    private final Map<String, Parameter> p;

    NaiveReference(CausalLM model) {
        this.c = model.config();
        this.p = model.namedParameters();
    }

    private double[] flat(String name) {
        float[] f = p.get(name).getArray().toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** logits [T][V] for one sequence. */
    double[][] logits(int[] ids) {
        int t = ids.length;
        int d = c.dModel();
        double[] wte = flat("embed_tokens.weight");
        double[][] x = new double[t][d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = wte[ids[i] * d + j];
            }
        }
        if (c.architecture() == Architecture.GPT2) {
            double[] wpe = flat("embed_positions.weight");
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] += wpe[i * d + j];
                }
            }
        }
        for (int l = 0; l < c.nLayers(); l++) {
            String b = "blocks." + l + ".";
            double[][] h = norm(x, b + "attn_norm");
            double[][] a = attention(h, b + "attn.");
            add(x, linear(a, b + "attn.o_proj"));
            double[][] h2 = norm(x, b + "mlp_norm");
            double[][] m;
            if (c.architecture() == Architecture.LLAMA) {
                double[][] g = linear(h2, b + "mlp.gate_proj");
                double[][] u = linear(h2, b + "mlp.up_proj");
                for (int i = 0; i < g.length; i++) {
                    for (int j = 0; j < g[i].length; j++) {
                        double s = g[i][j] / (1 + Math.exp(-g[i][j]));
                        g[i][j] = s * u[i][j];
                    }
                }
                m = linear(g, b + "mlp.down_proj");
            } else {
                double[][] u = linear(h2, b + "mlp.up_proj");
                for (double[] row : u) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = gelu(row[j]);
                    }
                }
                m = linear(u, b + "mlp.down_proj");
            }
            add(x, m);
        }
        double[][] h = norm(x, "norm");
        String head = c.tieWordEmbeddings() ? "embed_tokens" : "lm_head";
        double[] w = flat(head + ".weight");
        double[][] out = new double[t][c.vocabSize()];
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < c.vocabSize(); v++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += h[i][j] * w[v * d + j];
                }
                out[i][v] = s;
            }
        }
        return out;
    }

    private double gelu(double v) {
        if (c.activation() == Activation.GELU_TANH) {
            return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        }
        return 0.5 * v * (1 + erf(v / Math.sqrt(2)));
    }

    /** erf by its Maclaurin series (|x| small in these tests), accurate to ~1e-12. */
    private static double erf(double x) {
        if (Math.abs(x) > 4) {
            return Math.signum(x);
        }
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private double[][] attention(double[][] x, String prefix) {
        int t = x.length;
        int nh = c.nHeads();
        int nkv = c.nKvHeads();
        int hd = c.headDim();
        double[][] q = linear(x, prefix + "q_proj");
        double[][] k = linear(x, prefix + "k_proj");
        double[][] v = linear(x, prefix + "v_proj");
        if (c.architecture() == Architecture.LLAMA) {
            rotate(q, nh, hd);
            rotate(k, nkv, hd);
        }
        double[][] out = new double[t][nh * hd];
        for (int h = 0; h < nh; h++) {
            int kvh = h / (nh / nkv);
            for (int i = 0; i < t; i++) {
                double[] s = new double[i + 1];
                double max = -Double.MAX_VALUE;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int e = 0; e < hd; e++) {
                        dot += q[i][h * hd + e] * k[j][kvh * hd + e];
                    }
                    s[j] = dot / Math.sqrt(hd);
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int e = 0; e < hd; e++) {
                        out[i][h * hd + e] += s[j] / z * v[j][kvh * hd + e];
                    }
                }
            }
        }
        return out;
    }

    /** RoPE as a rotation of the pairs (x_i, x_{i+D/2}) by angle pos * theta^(-2i/D). */
    private void rotate(double[][] x, int heads, int hd) {
        int half = hd / 2;
        for (int pos = 0; pos < x.length; pos++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < half; i++) {
                    double ang = pos * Math.pow(c.ropeTheta(), -2.0 * i / hd);
                    double a = x[pos][h * hd + i];
                    double b = x[pos][h * hd + i + half];
                    x[pos][h * hd + i] = a * Math.cos(ang) - b * Math.sin(ang);
                    x[pos][h * hd + i + half] = b * Math.cos(ang) + a * Math.sin(ang);
                }
            }
        }
    }

    private double[][] norm(double[][] x, String prefix) {
        double[] g = flat(prefix + ".weight");
        boolean rms = c.architecture() == Architecture.LLAMA;
        double[] beta = rms ? null : flat(prefix + ".bias");
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int d = x[i].length;
            double mean = 0;
            for (double v : x[i]) {
                mean += v / d;
            }
            double var = 0;
            for (double v : x[i]) {
                var += rms ? v * v / d : (v - mean) * (v - mean) / d;
            }
            out[i] = new double[d];
            for (int j = 0; j < d; j++) {
                double centred = rms ? x[i][j] : x[i][j] - mean;
                out[i][j] = centred / Math.sqrt(var + c.normEps()) * g[j] + (rms ? 0 : beta[j]);
            }
        }
        return out;
    }

    private double[][] linear(double[][] x, String prefix) {
        double[] w = flat(prefix + ".weight");
        double[] b = p.containsKey(prefix + ".bias") ? flat(prefix + ".bias") : null;
        int in = x[0].length;
        int out = w.length / in;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int j = 0; j < in; j++) {
                    s += x[i][j] * w[o * in + j];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += y[i][j];
            }
        }
    }
}
