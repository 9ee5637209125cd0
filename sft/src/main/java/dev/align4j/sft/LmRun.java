package dev.align4j.sft;

import ai.djl.nn.Parameter;

import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.run.Provenance;
import dev.align4j.core.run.RunFiles;
import dev.align4j.core.run.RunLifecycle;
import dev.align4j.core.train.TrainResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.datasets.batch.Batch;
import dev.align4j.datasets.bundle.ModelBundle;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A causal-LM run (SFT or pretraining) with everything loaded and checked, nothing written yet
 * ({@link SftTrainer#prepare}, {@link Pretrainer#prepare}); {@link #train()} goes through the
 * {@link RunLifecycle}: PEFT applied, core's {@link TrainingEngine} with the {@link SftLoss}, eval
 * loss and perplexity on the validation split, then the export:
 *
 * <ul>
 *   <li>{@code model/}: the final weights as a {@link ModelBundle} folder with provenance.json. For
 *       LoRA/QLoRA the adapters are merged into a plain copy ({@link LoraExport});</li>
 *   <li>{@code adapter/} (LoRA/QLoRA): the adapters alone;</li>
 *   <li>{@code provenance.json} (a copy of the model's) and {@code samples.jsonl}.</li>
 * </ul>
 *
 * Owns the model: close it.
 */
public final class LmRun extends RunLifecycle {

    /** Name of the final model folder inside output_dir. */
    public static final String MODEL_DIR = "model";

    /**
     * Where the run comes from, for provenance.json.
     *
     * @param method "sft" or "pretrain"
     * @param baseModel the model folder fine-tuned, or null for a fresh model
     * @param data the data files
     * @param extra method-specific provenance keys
     */
    record Origin(String method, String baseModel, List<String> data, Map<String, Object> extra) {
    }

    private final TrainingArgs args;
    private final PeftConfig peft;
    private final ModelBundle bundle;
    private final LmTrainer.Data data;
    private final Object runConfig;
    private final Origin origin;
    private final Samples.Settings sampling;
    private String baseHash;
    private long trainableCount;
    private LmTrainer.Evaluator eval;
    private TrainResult result;

    LmRun(TrainingArgs args, PeftConfig peft, ModelBundle bundle, LmTrainer.Data data, Object runConfig,
            Origin origin, Samples.Settings sampling) {
        super(Path.of(args.outputDir()), args.maxSteps() > 0 ? args.maxSteps() : -1);
        RunFiles.validate(args);
        this.args = args;
        this.peft = peft;
        this.bundle = bundle;
        this.data = data;
        this.runConfig = runConfig;
        this.origin = origin;
        this.sampling = sampling;
        Peft.check(bundle.model(), peft); // before the run folder exists
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

    /** The PEFT method applied when training starts. */
    public PeftConfig peft() {
        return peft;
    }

    /** Weights AdamW updates (known once training has started). */
    public long trainableParameters() {
        return trainableCount;
    }

    @Override
    protected Trained fit() {
        CausalLM model = bundle.model();
        baseHash = LoraExport.adapters(peft) ? Adapters.baseModelHash(model) : null;
        Map<String, Parameter> trainable = Peft.apply(model, peft, bundle.manager(), args.seed());
        trainableCount = trainable.values().stream().mapToLong(p -> p.getShape().size()).sum();
        // QLoRA frees the dense weights it quantized: they are neither saved nor restored
        Map<String, Parameter> live = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> {
            if (p.isInitialized()) {
                live.put(k, p);
            }
        });
        LmBatches batches = new LmBatches(data.train(), args.perDeviceTrainBatchSize(),
                bundle.tokenizer().padId(), data.layout(), data.packLen(), args.seed(), data.dataHash());
        eval = data.validation().isEmpty() ? null : new LmTrainer.Evaluator(model, data.validation(),
                args.perDeviceEvalBatchSize(), bundle.tokenizer().padId());
        result = TrainingEngine.<Batch>builder()
                .setParameters(trainable)
                .optModelParameters(live)
                .setArgs(args)
                .setData(batches)
                .setLoss(LmTrainer.lossFunction(model))
                .optEval(eval)
                .optSinks(extraSinks())
                .optRunConfig(runConfig)
                .build()
                .run();
        Map<String, Double> metrics = new LinkedHashMap<>(result.lastMetrics());
        metrics.put("train_loss", result.lastLoss());
        metrics.putAll(result.lastEval());
        return new Trained(result.steps(), metrics, result.lastCheckpoint(), result.stopped());
    }

    @Override
    protected Exported export(Trained trained) {
        Path out = outputDir();
        Map<String, Double> finalMetrics = new LinkedHashMap<>();
        finalMetrics.put("steps", (double) trained.steps());
        finalMetrics.put("train_loss", result.lastLoss());
        finalMetrics.putAll(result.lastEval());
        Provenance.Builder pb = Provenance.builder(origin.method()).setPeft(peft.method().configName())
                .setBaseModel(origin.baseModel()).setData(origin.data(), data.dataHash()).setSeed(args.seed())
                .setSteps(trained.steps()).setFinalMetrics(finalMetrics)
                .setBestCheckpoint(result.bestCheckpoint()).setConfig(runConfig)
                .put("trainable_parameters", trainableCount);
        origin.extra().forEach(pb::put);
        Provenance prov = pb.build();
        Path adapterDir = null;
        Path modelDir = out.resolve(MODEL_DIR);
        if (LoraExport.adapters(peft)) {
            adapterDir = LoraExport.saveAdapter(out, bundle.model(), peft, baseHash);
        }
        bundle.saveFinal(modelDir, adapterDir != null, prov.asMap(), args.seed(),
                saved -> Samples.write(out, saved.model(), saved.tokenizer(), data.samplePrompts(), sampling,
                        args.seed()));
        prov.write(out);
        return new Exported(modelDir, adapterDir, Map.of());
    }

    @Override
    public void close() {
        bundle.close();
    }
}
