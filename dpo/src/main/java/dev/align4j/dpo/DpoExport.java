package dev.align4j.dpo;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes what a finished DPO run leaves behind: the adapter, the final model and samples.jsonl. */
final class DpoExport {

    private final Path out;
    private final DpoConfig cfg;
    private final PeftConfig peft;
    private final Device device;

    DpoExport(Path out, DpoConfig cfg, PeftConfig peft, Device device) {
        this.out = out;
        this.cfg = cfg;
        this.peft = peft;
        this.device = device;
    }

    /** {@code output_dir/adapter}: the LoRA/QLoRA adapter, loadable with ModelBundle.applyAdapter. */
    Path saveAdapter(CausalLM model, String baseHash) {
        Path dir = out.resolve("adapter");
        try {
            Adapters.save(dir, model, peft, baseHash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the adapter to " + dir, e);
        }
        return dir;
    }

    /**
     * {@code output_dir/model} as a plain model folder, then samples.jsonl from it. With adapters the
     * update is merged and the merged weights are copied into a freshly loaded base, so the folder
     * holds no adapter tensors and loads like any model.
     */
    Path saveModel(ModelBundle policy, boolean lora, Map<String, Object> provenance, List<List<Message>> prompts,
            DpoData data, long seed) {
        Path dir = out.resolve("model");
        int maxLength = cfg.maxLengthOr(policy.config().contextLength());
        if (!lora) {
            policy.save(dir, provenance);
            writeSamples(policy, prompts, maxLength, seed);
            return dir;
        }
        CausalLM model = policy.model();
        Lora.merge(model);
        try (ModelBundle plain = ModelBundle.load(Path.of(cfg.model()), device, cfg.template())) {
            Map<String, Parameter> merged = model.namedParameters();
            plain.model().namedParameters().forEach((name, p) -> merged.get(name).getArray().copyTo(p.getArray()));
            plain.save(dir, provenance);
            writeSamples(plain, prompts, maxLength, seed);
        } finally {
            Lora.unmerge(model);
        }
        return dir;
    }

    private void writeSamples(ModelBundle bundle, List<List<Message>> prompts, int maxLength, long seed) {
        if (!prompts.isEmpty()) {
            DpoSamples.write(out.resolve(DpoSamples.FILE), bundle, prompts, cfg, maxLength, seed);
        }
    }
}
