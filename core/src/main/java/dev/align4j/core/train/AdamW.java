package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", 2019) over NDArrays,
 * following {@code torch.optim.AdamW}'s single-tensor update step for step:
 *
 * <pre>
 *   t += 1
 *   p   *= 1 - lr * wd                      (decoupled decay, only for params in the decay group)
 *   m    = b1 * m + (1 - b1) * g
 *   v    = b2 * v + (1 - b2) * g^2
 *   p   -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * which is {@code p -= lr * m_hat / (sqrt(v_hat) + eps)} with torch's placement of eps. DJL's
 * {@code Adam} differs (DJL_NOTES.md). Parameters whose array does not require a gradient are
 * skipped. State (m, v) lives on the optimizer's own sub-manager of the first parameter's
 * manager, in each parameter's dtype; close the optimizer to free it.
 */
public final class AdamW implements AutoCloseable {

    /**
     * Default decay group: a parameter decays unless it is 1-D (biases, norm gains) or a segment of
     * its dotted name contains {@code norm}, {@code bias} or {@code embed}, or starts with
     * {@code ln}, {@code wte} or {@code wpe} (GPT-2's LayerNorms and embedding tables).
     */
    public static final BiPredicate<String, Shape> DEFAULT_DECAY = (name, shape) -> {
        if (shape.dimension() <= 1) {
            return false;
        }
        for (String seg : name.toLowerCase(Locale.ROOT).split("\\.")) {
            if (seg.contains("norm") || seg.contains("bias") || seg.contains("embed")
                    || seg.startsWith("ln") || seg.startsWith("wte") || seg.startsWith("wpe")) {
                return false;
            }
        }
        return true;
    };

    /**
     * Hyper-parameters. {@code decay} chooses, from a parameter's dotted name and shape, whether
     * weight decay applies to it.
     */
    public record Config(double beta1, double beta2, double eps, double weightDecay,
            BiPredicate<String, Shape> decay) {

        public Config {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("adam betas must be in [0, 1): " + beta1 + ", " + beta2);
            }
            if (!(eps >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("adam eps and weight_decay must be >= 0: " + eps + ", "
                        + weightDecay);
            }
            if (decay == null) {
                decay = DEFAULT_DECAY;
            }
        }

        /** torch defaults: betas (0.9, 0.999), eps 1e-8; weight decay 0 as in HF TrainingArguments. */
        public static Config defaults() {
            return new Config(0.9, 0.999, 1e-8, 0.0, DEFAULT_DECAY);
        }

        public Config withWeightDecay(double wd) {
            return new Config(beta1, beta2, eps, wd, decay);
        }

        public Config withDecay(BiPredicate<String, Shape> rule) {
            return new Config(beta1, beta2, eps, weightDecay, rule);
        }
    }

    private final Config config;
    private final Map<String, Parameter> params;
    private final Map<String, Boolean> decays = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private final NDManager stateManager;
    private long step;

    /**
     * @param params trainable parameters by dotted name, all initialised, on one device
     * @param config hyper-parameters and decay rule
     */
    public AdamW(Map<String, Parameter> params, Config config) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("AdamW needs at least one parameter");
        }
        this.config = config;
        this.params = new LinkedHashMap<>(params);
        NDArray first = params.values().iterator().next().getArray();
        this.stateManager = first.getManager().newSubManager();
        for (Map.Entry<String, Parameter> e : this.params.entrySet()) {
            NDArray p = e.getValue().getArray();
            decays.put(e.getKey(), config.decay().test(e.getKey(), p.getShape()));
            expAvg.put(e.getKey(), state(p));
            expAvgSq.put(e.getKey(), state(p));
        }
    }

    private NDArray state(NDArray p) {
        NDArray z = stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice());
        // the optimizer may be built inside a caller's NDScope; its state must outlive that scope
        NDScope.unregister(z);
        return z;
    }

    public Config config() {
        return config;
    }

    /** Completed optimizer steps (torch's {@code state["step"]}). */
    public long stepCount() {
        return step;
    }

    /** Whether weight decay applies to the named parameter. */
    public boolean decays(String name) {
        return decays.get(name);
    }

    /**
     * One update of every trainable parameter from its accumulated gradient, then zeroes the
     * gradients (DJL accumulates them across backward calls). Must run outside a
     * {@code GradientCollector}: the updates are in-place on leaf arrays.
     */
    public void step(double lr) {
        step++;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double stepSize = lr / (1 - Math.pow(b1, step));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
        try (NDScope scope = new NDScope()) {
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray p = e.getValue().getArray();
                if (!p.hasGradient()) {
                    continue;
                }
                NDArray g = p.getGradient();
                NDArray m = expAvg.get(e.getKey());
                NDArray v = expAvgSq.get(e.getKey());
                if (config.weightDecay() != 0 && decays.get(e.getKey())) {
                    p.muli(1 - lr * config.weightDecay());
                }
                m.muli(b1).addi(g.mul(1 - b1));
                v.muli(b2).addi(g.square().muli(1 - b2));
                NDArray denom = v.sqrt().divi(bc2Sqrt).addi(config.eps());
                p.subi(m.div(denom).muli(stepSize));
                zero(g);
            }
            scope.suppressNotUsedWarning();
        }
    }

    /** Zeroes every trainable parameter's gradient without updating. */
    public void zeroGrad() {
        try (NDScope scope = new NDScope()) {
            for (Parameter param : params.values()) {
                NDArray p = param.getArray();
                if (p.hasGradient()) {
                    zero(p.getGradient());
                }
            }
            scope.suppressNotUsedWarning();
        }
    }

    /**
     * Fills a gradient with +0 in place (the array is a view of the parameter's .grad). Unlike
     * {@code g.muli(0)} this also clears NaN/inf and does not leave -0.
     */
    private static void zero(NDArray g) {
        g.set(new NDIndex("..."), 0);
    }

    /**
     * The optimizer state for a checkpoint: {@code <name>.exp_avg}, {@code <name>.exp_avg_sq} for
     * every parameter and {@code step} (int64, shape (1)). The m and v arrays are the live state:
     * save them, do not close or modify them; the {@code step} array is new, close it when done.
     */
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            out.put(name + ".exp_avg", expAvg.get(name));
            out.put(name + ".exp_avg_sq", expAvgSq.get(name));
        }
        NDArray s = stateManager.create(new long[] {step});
        NDScope.unregister(s);
        out.put("step", s);
        return out;
    }

    /**
     * Restores state written by {@link #stateDict()}, copying values into the existing arrays.
     * Every parameter must be present with the same shape; names must match exactly.
     */
    public void loadStateDict(Map<String, NDArray> state) {
        NDArray s = state.get("step");
        if (s == null) {
            throw new IllegalArgumentException("optimizer state has no 'step' entry");
        }
        for (String name : params.keySet()) {
            copyInto(name + ".exp_avg", state, expAvg.get(name));
            copyInto(name + ".exp_avg_sq", state, expAvgSq.get(name));
        }
        step = s.toType(DataType.INT64, false).toLongArray()[0];
    }

    private static void copyInto(String key, Map<String, NDArray> state, NDArray target) {
        NDArray src = state.get(key);
        if (src == null) {
            throw new IllegalArgumentException("optimizer state has no entry '" + key + "'");
        }
        copy(key, src, target);
    }

    /**
     * Copies {@code src} into {@code target} in place (same storage, same flags), converting dtype
     * and device. Used for parameters and optimizer state on resume. Needs grad mode off.
     */
    static void copy(String name, NDArray src, NDArray target) {
        if (!src.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(name + ": shape " + src.getShape() + " in the checkpoint, "
                    + target.getShape() + " in the model");
        }
        try (NDScope scope = new NDScope()) {
            NDArray converted = src.toDevice(target.getDevice(), false).toType(target.getDataType(), false);
            // index assignment is torch's p[...] = x, a copy_ into the existing storage
            target.set(new NDIndex("..."), converted);
            scope.suppressNotUsedWarning();
        }
    }

    /** Names of the parameters this optimizer updates, in order. */
    public List<String> names() {
        return List.copyOf(params.keySet());
    }

    @Override
    public void close() {
        stateManager.close();
    }

    @Override
    public String toString() {
        return "AdamW" + Arrays.asList(config.beta1(), config.beta2(), config.eps(), config.weightDecay())
                + " step " + step;
    }
}
