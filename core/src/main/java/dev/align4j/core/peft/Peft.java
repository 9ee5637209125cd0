package dev.align4j.core.peft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import dev.align4j.core.UserInputException;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.Linear;
import dev.align4j.core.model.Module;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses a model's trainable parameters for a {@link PeftConfig} and attaches LoRA/QLoRA adapters.
 *
 * <p>Frozen means {@code Parameter.freeze(true)}: the Parameter's flag and its array's
 * {@code requiresGradient} are both false, so autograd neither computes nor stores a gradient for it.
 * The returned map is what the optimizer updates (DESIGN.md, training contract).
 */
public final class Peft {

    private static final Logger LOG = LogManager.getLogger(Peft.class);

    private Peft() {
    }

    /**
     * {@link #apply(CausalLM, PeftConfig, NDManager)} with the engine's random generator seeded with
     * {@code seed} first: new LoRA A matrices are drawn from it, and nothing else in a fresh JVM
     * seeds it before this point (the training engine seeds it later), so without the seed the
     * adapter's start, and so the whole run, would change from one process to the next. Every
     * trainer calls this one with the run's seed.
     */
    public static Map<String, Parameter> apply(CausalLM model, PeftConfig cfg, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        return apply(model, cfg, manager);
    }

    /**
     * Applies {@code cfg} to a freshly loaded base model.
     *
     * <ul>
     *   <li>FULL: every parameter trains.</li>
     *   <li>FREEZE: the last {@code freeze_trainable_layers} blocks (with the final norm and the
     *       untied LM head when that number is > 0), plus every module matching
     *       {@code freeze_trainable_modules} (the union of both).</li>
     *   <li>BITFIT: every parameter named {@code *.bias}, LayerNorm biases included (Ben Zaken et al.
     *       2022 train all bias terms). A model without biases (the Llama layout) is an error rather
     *       than a silent switch to norm gains: that would be a different method.</li>
     *   <li>LORA / QLORA: a {@link LoraAdapter} on each targeted linear layer; only the adapters
     *       train. QLORA also quantizes each targeted layer's base weight to NF4 and frees the
     *       dense copy. Non-targeted layers stay dense, so use {@code all-linear} for the paper's
     *       memory savings.</li>
     * </ul>
     *
     * @param manager where adapter and NF4 arrays live: the manager (and device) of the model's
     *     parameters
     * @return the trainable parameters by dotted name, in model order
     * @throws UserInputException when the config does not fit the model (unknown target, too many
     *     layers, BitFit without biases)
     */
    /**
     * The checks {@link #apply} makes on {@code model}, without changing it: every lora_target_modules
     * entry selects a linear layer, freeze_trainable_layers fits, BitFit finds biases. Each run calls
     * it while it validates, before the run folder exists.
     *
     * @throws UserInputException naming the key ({@code lora_target_modules: 'x' matches no linear layer ...})
     */
    public static void check(CausalLM model, PeftConfig cfg) {
        switch (cfg.method()) {
            case FULL -> { }
            case FREEZE -> freezeSelection(model, cfg);
            case BITFIT -> biases(model);
            case LORA, QLORA -> targetLayers(model, cfg.loraTargetModules());
        }
    }

    public static Map<String, Parameter> apply(CausalLM model, PeftConfig cfg, NDManager manager) {
        if (!Lora.adapters(model).isEmpty()) {
            throw new IllegalStateException("model already has adapters; apply PEFT to a base model");
        }
        Set<String> trainable = switch (cfg.method()) {
            case FULL -> model.namedParameters().keySet();
            case FREEZE -> freezeSelection(model, cfg);
            case BITFIT -> biases(model);
            case LORA, QLORA -> attachAdapters(model, cfg, manager);
        };
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            boolean train = trainable.contains(e.getKey());
            // freeze() sets the Parameter's flag and, for a live array, its requiresGradient
            e.getValue().freeze(!train);
            if (train) {
                out.put(e.getKey(), e.getValue());
            }
        }
        long n = count(out);
        long all = parameterCount(model);
        LOG.info("{}: trainable params {} of {} ({}%), weights held {} bytes", cfg.method(), n, all,
                String.format("%.4f", 100.0 * n / all), weightBytes(model));
        return out;
    }

    /** Bytes of the initialized arrays of {@code params} (e.g. trainable parameters: AdamW holds two such per byte). */
    public static long parameterBytes(Map<String, Parameter> params) {
        long bytes = 0;
        for (Parameter p : params.values()) {
            if (p.isInitialized()) {
                NDArray a = p.getArray();
                bytes += a.size() * a.getDataType().getNumOfBytes();
            }
        }
        return bytes;
    }

    /** Linear layers by dotted name, in model order (adapters' own modules excluded). */
    public static Map<String, Linear> linearLayers(Module model) {
        Map<String, Linear> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Linear linear) {
                out.put(e.getKey(), linear);
            }
        }
        return out;
    }

    /** Names of the linear layers that {@code patterns} select; every pattern must select one. */
    public static List<String> targetLayers(CausalLM model, List<String> patterns) {
        Map<String, Linear> linears = linearLayers(model);
        Set<String> picked = new LinkedHashSet<>();
        for (String pattern : patterns) {
            boolean hit = false;
            for (String name : linears.keySet()) {
                boolean match = pattern.equals(PeftConfig.ALL_LINEAR)
                        ? !name.equals("lm_head") // PEFT's all-linear leaves the output layer alone
                        : PeftConfig.matches(pattern, name);
                if (match) {
                    picked.add(name);
                    hit = true;
                }
            }
            if (!hit) {
                Set<String> kinds = new TreeSet<>();
                linears.keySet().forEach(n -> kinds.add(n.substring(n.lastIndexOf('.') + 1)));
                throw UserInputException.at(null, 0, "lora_target_modules", "'" + pattern
                        + "' matches no linear layer of this model (layers: " + kinds
                        + ", or " + PeftConfig.ALL_LINEAR + ")");
            }
        }
        // model order, whatever the order of the patterns
        List<String> ordered = new ArrayList<>();
        for (String name : linears.keySet()) {
            if (picked.contains(name)) {
                ordered.add(name);
            }
        }
        return ordered;
    }

    private static Set<String> attachAdapters(CausalLM model, PeftConfig cfg, NDManager manager) {
        Map<String, Linear> linears = linearLayers(model);
        Set<String> names = new LinkedHashSet<>();
        NDArray table = cfg.method() == PeftMethod.QLORA ? Nf4Weight.lookupTable(manager) : null;
        for (String layer : targetLayers(model, cfg.loraTargetModules())) {
            Linear linear = linears.get(layer);
            LoraAdapter adapter = new LoraAdapter(linear.inFeatures(), linear.outFeatures(),
                    cfg.loraR(), cfg.loraAlpha(), cfg.loraDropout());
            adapter.initialize(manager, linear.weight().getArray().getDataType());
            if (cfg.method() == PeftMethod.QLORA) {
                adapter.quantizeBase(linear, cfg.quantBlockSize(), cfg.doubleQuant(), table);
            }
            linear.setAdapter(LoraAdapter.NAME, adapter);
            for (String p : adapter.ownParameters().keySet()) {
                names.add(layer + "." + LoraAdapter.NAME + "." + p);
            }
        }
        return names;
    }

    private static Set<String> freezeSelection(CausalLM model, PeftConfig cfg) {
        int layers = model.config().nLayers();
        int n = cfg.freezeTrainableLayers();
        if (n > layers) {
            throw UserInputException.at(null, 0, "freeze_trainable_layers",
                    n + " exceeds the model's " + layers + " blocks");
        }
        List<String> prefixes = new ArrayList<>();
        for (int i = layers - n; i < layers; i++) {
            prefixes.add("blocks." + i + ".");
        }
        if (n > 0) {
            prefixes.add("norm.");
            if (model.lmHead() != null) {
                prefixes.add("lm_head.");
            }
        }
        for (String pattern : cfg.freezeTrainableModules()) {
            boolean hit = false;
            for (String module : model.namedModules().keySet()) {
                if (!module.isEmpty() && PeftConfig.matches(pattern, module)) {
                    prefixes.add(module + ".");
                    hit = true;
                }
            }
            if (!hit) {
                throw UserInputException.at(null, 0, "freeze_trainable_modules",
                        "'" + pattern + "' matches no module of this model");
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : model.namedParameters().keySet()) {
            if (prefixes.stream().anyMatch(name::startsWith)) {
                out.add(name);
            }
        }
        return out;
    }

    private static Set<String> biases(CausalLM model) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : model.namedParameters().keySet()) {
            if (name.endsWith(".bias")) {
                out.add(name);
            }
        }
        if (out.isEmpty()) {
            throw UserInputException.at(null, 0, "method", "bitfit trains bias terms only and this "
                    + model.config().architecture() + " model has none (bias=false); use lora or "
                    + "freeze");
        }
        return out;
    }

    /** Parameters whose arrays currently require gradients, by dotted name. */
    public static Map<String, Parameter> trainableParameters(Module model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            if (p.isInitialized() && p.getArray().hasGradient()) {
                out.put(e.getKey(), p);
            }
        }
        return out;
    }

    /** Number of trainable weights (array elements that require gradients). */
    public static long trainableParameterCount(Module model) {
        return count(trainableParameters(model));
    }

    /** Number of weights, counting quantized base weights by their shape. */
    public static long parameterCount(Module model) {
        return model.namedParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    private static long count(Map<String, Parameter> params) {
        return params.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /**
     * Bytes of weights the model holds: live dense arrays (in their dtype, adapters included) plus
     * NF4 copies (codes, scales, each distinct lookup table once). Optimizer state and activations are not counted.
     */
    public static long weightBytes(Module model) {
        long bytes = parameterBytes(model.namedParameters());
        Set<NDArray> tables = Collections.newSetFromMap(new IdentityHashMap<>());
        for (LoraAdapter adapter : Lora.adapters(model).values()) {
            Nf4Weight q = adapter.quantizedBase();
            if (q != null) {
                bytes += q.bytes();
                if (tables.add(q.table())) {
                    bytes += q.table().size() * 4;
                }
            }
        }
        return bytes;
    }
}
