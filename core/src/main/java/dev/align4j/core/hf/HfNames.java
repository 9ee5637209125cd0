package dev.align4j.core.hf;

import dev.align4j.core.UserInputException;
import dev.align4j.core.model.Architecture;
import dev.align4j.core.model.ModelConfig;

import java.util.Map;

/**
 * Where each {@link dev.align4j.core.model.CausalLM} parameter lives in a transformers checkpoint.
 *
 * <p>GPT-2 uses {@code Conv1D} layers whose weight is stored (in, out), the transpose of our
 * {@code Linear} (out, in), and fuses q, k, v into one {@code c_attn} of width 3C: our
 * {@code q_proj.weight} is {@code c_attn.weight[:, 0:C]^T}, k the next C columns, v the last.
 * Llama's names map one to one, with the q/k rows already in the rotate-half order our RoPE uses.
 */
final class HfNames {

    /**
     * @param hfName tensor name in the checkpoint
     * @param transpose whether the stored tensor is the transpose of ours (GPT-2 Conv1D weights)
     * @param part which of {@code parts} equal slices along our first axis (GPT-2's fused qkv)
     * @param parts how many parameters share the tensor (1 or 3)
     */
    record Source(String hfName, boolean transpose, int part, int parts) {}

    private static final Map<String, Source> GPT2_BLOCK = Map.ofEntries(
            Map.entry("attn_norm.weight", plain("ln_1.weight")),
            Map.entry("attn_norm.bias", plain("ln_1.bias")),
            Map.entry("attn.q_proj.weight", new Source("attn.c_attn.weight", true, 0, 3)),
            Map.entry("attn.k_proj.weight", new Source("attn.c_attn.weight", true, 1, 3)),
            Map.entry("attn.v_proj.weight", new Source("attn.c_attn.weight", true, 2, 3)),
            Map.entry("attn.q_proj.bias", new Source("attn.c_attn.bias", false, 0, 3)),
            Map.entry("attn.k_proj.bias", new Source("attn.c_attn.bias", false, 1, 3)),
            Map.entry("attn.v_proj.bias", new Source("attn.c_attn.bias", false, 2, 3)),
            Map.entry("attn.o_proj.weight", conv1d("attn.c_proj.weight")),
            Map.entry("attn.o_proj.bias", plain("attn.c_proj.bias")),
            Map.entry("mlp_norm.weight", plain("ln_2.weight")),
            Map.entry("mlp_norm.bias", plain("ln_2.bias")),
            Map.entry("mlp.up_proj.weight", conv1d("mlp.c_fc.weight")),
            Map.entry("mlp.up_proj.bias", plain("mlp.c_fc.bias")),
            Map.entry("mlp.down_proj.weight", conv1d("mlp.c_proj.weight")),
            Map.entry("mlp.down_proj.bias", plain("mlp.c_proj.bias")));

    private static final Map<String, String> LLAMA_BLOCK = Map.ofEntries(
            Map.entry("attn_norm.weight", "input_layernorm.weight"),
            Map.entry("mlp_norm.weight", "post_attention_layernorm.weight"),
            Map.entry("attn.q_proj.weight", "self_attn.q_proj.weight"),
            Map.entry("attn.k_proj.weight", "self_attn.k_proj.weight"),
            Map.entry("attn.v_proj.weight", "self_attn.v_proj.weight"),
            Map.entry("attn.o_proj.weight", "self_attn.o_proj.weight"),
            Map.entry("attn.q_proj.bias", "self_attn.q_proj.bias"),
            Map.entry("attn.k_proj.bias", "self_attn.k_proj.bias"),
            Map.entry("attn.v_proj.bias", "self_attn.v_proj.bias"),
            Map.entry("attn.o_proj.bias", "self_attn.o_proj.bias"),
            Map.entry("mlp.gate_proj.weight", "mlp.gate_proj.weight"),
            Map.entry("mlp.up_proj.weight", "mlp.up_proj.weight"),
            Map.entry("mlp.down_proj.weight", "mlp.down_proj.weight"),
            Map.entry("mlp.gate_proj.bias", "mlp.gate_proj.bias"),
            Map.entry("mlp.up_proj.bias", "mlp.up_proj.bias"),
            Map.entry("mlp.down_proj.bias", "mlp.down_proj.bias"));

    private HfNames() {}

    private static Source plain(String name) {
        return new Source(name, false, 0, 1);
    }

    private static Source conv1d(String name) {
        return new Source(name, true, 0, 1);
    }

    /** Buffers transformers saves in some checkpoints that are not parameters (masks, RoPE tables). */
    static boolean isBuffer(String hfName) {
        return hfName.endsWith(".attn.bias") || hfName.endsWith(".attn.masked_bias")
                || hfName.endsWith("rotary_emb.inv_freq");
    }

    /**
     * The checkpoint tensor behind our parameter {@code name}.
     *
     * @param gpt2Prefix "transformer." for GPT2LMHeadModel checkpoints, "" for those saved from
     *     GPT2Model (the original openai-community/gpt2 files)
     */
    static Source source(ModelConfig cfg, String name, String gpt2Prefix) {
        boolean gpt2 = cfg.architecture() == Architecture.GPT2;
        String p = gpt2 ? gpt2Prefix : "model.";
        Source s = null;
        if (name.equals("embed_tokens.weight")) {
            s = plain(p + (gpt2 ? "wte.weight" : "embed_tokens.weight"));
        } else if (gpt2 && name.equals("embed_positions.weight")) {
            s = plain(p + "wpe.weight");
        } else if (name.startsWith("norm.")) {
            s = plain(p + (gpt2 ? "ln_f." : "norm.") + name.substring("norm.".length()));
        } else if (name.equals("lm_head.weight")) {
            s = plain("lm_head.weight");
        } else if (name.startsWith("blocks.")) {
            int dot = name.indexOf('.', "blocks.".length());
            String layer = name.substring("blocks.".length(), dot);
            String rest = name.substring(dot + 1);
            if (gpt2) {
                Source b = GPT2_BLOCK.get(rest);
                s = b == null ? null : new Source(p + "h." + layer + "." + b.hfName(),
                        b.transpose(), b.part(), b.parts());
            } else {
                String b = LLAMA_BLOCK.get(rest);
                s = b == null ? null : plain(p + "layers." + layer + "." + b);
            }
        }
        if (s == null) {
            throw new UserInputException("parameter " + name + " has no Hugging Face equivalent"
                    + " (merge LoRA adapters into the base weights before exporting)");
        }
        return s;
    }
}
