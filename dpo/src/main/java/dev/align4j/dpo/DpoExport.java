package dev.align4j.dpo;

import ai.djl.Device;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.run.Provenance;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;

import java.nio.file.Path;
import java.util.List;

/** Writes what a finished DPO run leaves behind: the final model, provenance.json and samples.jsonl. */
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

    /**
     * {@code output_dir/model} as a plain model folder, provenance.json, then samples.jsonl from it.
     * With adapters the merged weights go into a plain model of the same shape
     * ({@link LoraExport#copyMerged}), so the folder holds no adapter tensors and loads like any model.
     */
    Path saveModel(ModelBundle policy, boolean lora, Provenance provenance, List<List<Message>> prompts, long seed) {
        Path dir = out.resolve("model");
        int maxLength = cfg.maxLengthOr(policy.config().contextLength());
        if (!lora) {
            policy.save(dir, provenance.asMap());
            DpoSamples.write(out, policy, prompts, cfg, maxLength, seed);
        } else {
            try (ModelBundle plain = ModelBundle.create(policy.config(), policy.tokenizer(), policy.template(), device,
                    seed)) {
                LoraExport.copyMerged(policy.model(), plain.model());
                plain.save(dir, provenance.asMap());
                DpoSamples.write(out, plain, prompts, cfg, maxLength, seed);
            }
        }
        provenance.write(out);
        return dir;
    }
}
