package dev.align4j.sft;

import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A causal-LM run with everything loaded and checked, nothing written yet: the step between
 * validation and the run folder (a command attaches its run.log here). Owns the model: close it.
 */
public final class PreparedRun implements AutoCloseable {

    private final TrainingArgs args;
    private final PeftConfig peft;
    private final ModelBundle bundle;
    private final LmTrainer.Data data;
    private final Object runConfig;
    private final Map<String, Object> provenance;
    private final Samples.Settings sampling;

    PreparedRun(TrainingArgs args, PeftConfig peft, ModelBundle bundle, LmTrainer.Data data, Object runConfig,
            Map<String, Object> provenance, Samples.Settings sampling) {
        this.args = args;
        this.peft = peft;
        this.bundle = bundle;
        this.data = data;
        this.runConfig = runConfig;
        this.provenance = provenance;
        this.sampling = sampling;
    }

    public TrainingArgs args() {
        return args;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public LmTrainer.Data data() {
        return data;
    }

    /** Trains and saves into output_dir (see {@link LmTrainer}). */
    public LmTrainer.Outcome train() {
        return train(null);
    }

    /** Trains, calling {@code progress} after each optimizer step with its number and metrics. */
    public LmTrainer.Outcome train(BiConsumer<Long, Map<String, Double>> progress) {
        return new LmTrainer(bundle, peft, args).train(data, runConfig, provenance, sampling, progress);
    }

    /** The PEFT method applied when training starts. */
    public PeftConfig peft() {
        return peft;
    }

    @Override
    public void close() {
        bundle.close();
    }
}
