package dev.align4j.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every align4j block: a DJL {@link AbstractBlock} that also remembers its parameters and
 * children under stable, dotted names ({@code blocks.0.attn.q_proj.weight}). DJL prefixes child
 * names with an index ({@code 01blocks}); checkpoints, LoRA target patterns and Hugging Face
 * name mapping all need the clean names, so they come from {@link #namedParameters()}.
 *
 * <p>Parameters are created with their shape and initializer up front and initialised by
 * {@link #initialize(NDManager, DataType)} without shape inference, so a module never needs
 * {@code getOutputShapes}.
 */
public abstract class Module extends AbstractBlock {

    private final Map<String, Parameter> ownParams = new LinkedHashMap<>();
    private final Map<String, Module> ownChildren = new LinkedHashMap<>();

    protected Module() {
        super((byte) 1);
    }

    /** Declares a parameter of a fixed shape with its initializer. */
    protected Parameter param(String name, Parameter.Type type, Shape shape, Initializer init) {
        Parameter p = Parameter.builder().setName(name).setType(type).optShape(shape).build();
        p.setInitializer(init);
        addParameter(p);
        ownParams.put(name, p);
        return p;
    }

    /** Registers a child module under {@code name}. */
    protected <M extends Module> M child(String name, M module) {
        addChildBlock(name, module);
        ownChildren.put(name, module);
        return module;
    }

    /** Replaces a child (used by PEFT to wrap a layer); the DJL child list is left as it was. */
    protected void replaceChild(String name, Module module) {
        if (!ownChildren.containsKey(name)) {
            throw new IllegalArgumentException("no child named " + name);
        }
        ownChildren.put(name, module);
    }

    /** Own parameters, not recursive. */
    public Map<String, Parameter> ownParameters() {
        return Collections.unmodifiableMap(ownParams);
    }

    /** Direct children in registration order. */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(ownChildren);
    }

    /** All parameters of this module and its descendants, in a stable order, with dotted names. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    /** All modules below (and including) this one with dotted names; the root is "". */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : ownParams.entrySet()) {
            out.putIfAbsent(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : ownChildren.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out);
        }
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        out.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), this);
        for (Map.Entry<String, Module> e : ownChildren.entrySet()) {
            e.getValue().collectModules(prefix + e.getKey() + ".", out);
        }
    }

    /**
     * Allocates every parameter on {@code manager} with its initializer. Seed the engine first
     * ({@code Engine.getInstance().setRandomSeed}) for reproducible weights.
     */
    public void initialize(NDManager manager, DataType dataType) {
        for (Parameter p : namedParameters().values()) {
            if (!p.isInitialized()) {
                p.initialize(manager, dataType);
            }
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " is called through its typed forward method");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("align4j modules declare fixed parameter shapes");
    }
}
