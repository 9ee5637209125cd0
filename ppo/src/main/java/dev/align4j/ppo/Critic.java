package dev.align4j.ppo;

import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ScalarHead;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value model: its own causal LM backbone and a {@link ScalarHead}, read at every response
 * position. Initialised from the reward model (as TRL does) and trained in full.
 */
public record Critic(CausalLM backbone, ScalarHead head) {

    /** Backbone parameters by dotted name and the head's under {@code value_head.}. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>(backbone.namedParameters());
        head.namedParameters().forEach((k, v) -> out.put("value_head." + k, v));
        return out;
    }
}
