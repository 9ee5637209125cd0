package dev.align4j.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

import dev.align4j.core.config.Interrupts;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.EvalFunction;
import dev.align4j.core.train.LossFunction;
import dev.align4j.core.train.StepOutput;
import dev.align4j.core.train.TrainResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.core.train.TrainingListener;
import dev.align4j.datasets.batch.Batch;
import dev.align4j.datasets.batch.Collator;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.tokenize.TokenizedExample;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Causal-LM training on tokenized examples, shared by SFT and pretraining: applies PEFT, runs
 * core's {@link TrainingEngine} with the {@link SftLoss}, evaluates loss and perplexity on the
 * validation split, then saves the run's outputs:
 *
 * <ul>
 *   <li>{@code model/}: the final weights as a {@link ModelBundle} folder with provenance.json. For
 *       LoRA/QLoRA the adapters are merged first, so later stages load a plain model (QLoRA: the
 *       merged weight is the dequantized NF4 base plus the update);</li>
 *   <li>{@code adapter/} (LoRA/QLoRA): the adapters alone, via {@link Adapters#save};</li>
 *   <li>{@code provenance.json} (a copy of the model's) and {@code samples.jsonl}.</li>
 * </ul>
 *
 * The engine itself writes config.json, run.json, metrics.jsonl and checkpoints/.
 */
public final class LmTrainer {

    private static final Logger LOG = LogManager.getLogger(LmTrainer.class);

    /** Name of the final model folder inside output_dir. */
    public static final String MODEL_DIR = "model";
    /** Name of the LoRA adapter folder inside output_dir. */
    public static final String ADAPTER_DIR = "adapter";

    /**
     * What to train on.
     *
     * @param train training examples (labels -100 where no loss)
     * @param validation held-out examples for eval_loss; may be empty (no eval)
     * @param layout batching
     * @param packLen row length when packed
     * @param dataHash content hash of the inputs, for run.json and provenance
     * @param samplePrompts held-out prompts for samples.jsonl
     */
    public record Data(List<TokenizedExample> train, List<TokenizedExample> validation,
            LmBatches.Layout layout, int packLen, String dataHash, List<Samples.Prompt> samplePrompts) {
    }

    /**
     * What a run produced.
     *
     * @param result the engine's outcome
     * @param metrics final metrics: train_loss, eval_loss and eval_perplexity (with a validation
     *     split), steps
     * @param modelDir the saved model folder
     * @param adapterDir the adapter folder (LoRA/QLoRA), else null
     * @param trainableParameters weights AdamW updated
     * @param weightBytes bytes of weights held while training ({@link Peft#weightBytes})
     */
    public record Outcome(TrainResult result, Map<String, Double> metrics, Path modelDir, Path adapterDir,
            long trainableParameters, long weightBytes) {
    }

    private final ModelBundle bundle;
    private final PeftConfig peft;
    private final TrainingArgs args;

    public LmTrainer(ModelBundle bundle, PeftConfig peft, TrainingArgs args) {
        this.bundle = bundle;
        this.peft = peft;
        this.args = args;
    }

    /**
     * Trains and saves (see the class comment).
     *
     * @param runConfig the resolved config, written to config.json and provenance
     * @param provenance extra provenance entries (stage, data files, base model)
     * @param sampling how samples.jsonl is generated
     */
    public Outcome train(Data data, Object runConfig, Map<String, Object> provenance, Samples.Settings sampling) {
        return train(data, runConfig, provenance, sampling, null);
    }

    /**
     * As {@link #train(Data, Object, Map, Samples.Settings)}, calling {@code progress} after every
     * optimizer step with the step number and its metrics (loss, lr, grad_norm).
     */
    public Outcome train(Data data, Object runConfig, Map<String, Object> provenance, Samples.Settings sampling,
            BiConsumer<Long, Map<String, Double>> progress) {
        CausalLM model = bundle.model();
        boolean lora = peft.method() == PeftMethod.LORA || peft.method() == PeftMethod.QLORA;
        String baseHash = lora ? Adapters.baseModelHash(model) : null;
        Map<String, Parameter> trainable = Peft.apply(model, peft, bundle.manager());
        long trainableCount = trainable.values().stream().mapToLong(p -> p.getShape().size()).sum();
        long weightBytes = Peft.weightBytes(model);
        // QLoRA frees the dense weights it quantized: they are neither saved nor restored
        Map<String, Parameter> live = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> {
            if (p.isInitialized()) {
                live.put(k, p);
            }
        });

        LmBatches batches = new LmBatches(data.train(), args.perDeviceTrainBatchSize(),
                bundle.tokenizer().padId(), data.layout(), data.packLen(), args.seed(), data.dataHash());
        Evaluator eval = data.validation().isEmpty() ? null : new Evaluator(model, data.validation(),
                args.perDeviceEvalBatchSize(), bundle.tokenizer().padId());
        TrainResult result = TrainingEngine.<Batch>builder()
                .setParameters(trainable)
                .optModelParameters(live)
                .setArgs(args)
                .setData(batches)
                .setLoss(lossFunction(model))
                .optEval(eval)
                .optListener(new TrainingListener() {
                    @Override
                    public boolean onStep(long step, Map<String, Double> metrics) {
                        if (progress != null) {
                            progress.accept(step, metrics);
                        }
                        if (Interrupts.requested()) {
                            LOG.warn("stop requested: saving a checkpoint at step {}", step);
                            return false;
                        }
                        return true;
                    }
                })
                .optRunConfig(runConfig)
                .build()
                .run();

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("steps", (double) result.steps());
        metrics.put("train_loss", result.lastLoss());
        if (eval != null && eval.last != null) {
            metrics.putAll(eval.last);
        }
        Path out = Path.of(args.outputDir());
        Map<String, Object> prov = new LinkedHashMap<>(provenance);
        prov.put("config", runConfig);
        prov.put("seed", args.seed());
        prov.put("data_hash", data.dataHash());
        prov.put("method", peft.method().configName());
        prov.put("trainable_parameters", trainableCount);
        prov.put("final_metrics", metrics);
        prov.put("best_checkpoint", result.bestCheckpoint() == null ? null : result.bestCheckpoint().toString());

        Path adapterDir = null;
        if (lora) {
            adapterDir = out.resolve(ADAPTER_DIR);
            try {
                Adapters.save(adapterDir, model, peft, baseHash);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save adapter to " + adapterDir, e);
            }
            Lora.merge(model);
        }
        Path modelDir = out.resolve(MODEL_DIR);
        saveModel(modelDir, prov, lora);
        dev.align4j.core.io.Json.write(out.resolve(ModelBundle.PROVENANCE), prov);
        Samples.write(out.resolve(Samples.FILE), model, bundle.tokenizer(), data.samplePrompts(), sampling,
                args.seed());
        LOG.info("saved {}{}", modelDir, adapterDir == null ? "" : " and " + adapterDir);
        return new Outcome(result, metrics, modelDir, adapterDir, trainableCount, weightBytes);
    }

    /** The bundle's model, or (after a LoRA merge) a plain copy without adapter tensors. */
    private void saveModel(Path dir, Map<String, Object> prov, boolean merged) {
        if (!merged) {
            bundle.save(dir, prov);
            return;
        }
        try (ModelBundle plain = ModelBundle.create(bundle.config(), bundle.tokenizer(), bundle.template(),
                bundle.manager().getDevice(), args.seed())) {
            Map<String, Parameter> src = bundle.model().namedParameters();
            for (Map.Entry<String, Parameter> e : plain.model().namedParameters().entrySet()) {
                e.getValue().getArray().set(src.get(e.getKey()).getArray().toFloatArray());
            }
            plain.save(dir, prov);
        }
    }

    /** Forward with the right mask, then {@link SftLoss#loss}. */
    static LossFunction<Batch> lossFunction(CausalLM model) {
        return (batch, mgr) -> {
            NDArray logits = logits(model, batch, mgr, true);
            NDArray labels = batch.toNDList(mgr).get(1);
            return StepOutput.of(SftLoss.loss(logits, labels));
        };
    }

    /**
     * Logits (B, T, V) of {@code batch}: packed rows get the block-diagonal causal mask (B, T, T)
     * and per-example positions; padded batches the padding mask (B, T).
     */
    static NDArray logits(CausalLM model, Batch batch, NDManager mgr, boolean training) {
        NDList nd = batch.toNDList(mgr);
        NDArray mask = batch.segmentIds() != null ? batch.blockCausalMask(mgr) : nd.get(2);
        return model.forward(nd.get(0), mask, nd.get(3), null, training).logits();
    }

    /** Token-weighted eval loss and its perplexity over the validation split. */
    static final class Evaluator implements EvalFunction {
        private final CausalLM model;
        private final List<TokenizedExample> examples;
        private final int batchSize;
        private final int padId;
        Map<String, Double> last;

        Evaluator(CausalLM model, List<TokenizedExample> examples, int batchSize, int padId) {
            this.model = model;
            this.examples = examples;
            this.batchSize = batchSize;
            this.padId = padId;
        }

        @Override
        public Map<String, Double> evaluate(long step, NDManager manager) {
            double sum = 0;
            long tokens = 0;
            for (int s = 0; s < examples.size(); s += batchSize) {
                Batch b = Collator.pad(examples.subList(s, Math.min(examples.size(), s + batchSize)), padId);
                try (NDManager sub = manager.newSubManager(); NDScope scope = new NDScope()) {
                    NDArray logits = logits(model, b, sub, false);
                    NDArray labels = b.toNDList(sub).get(1);
                    sum += SftLoss.lossSum(logits, labels).getFloat();
                    scope.suppressNotUsedWarning();
                }
                tokens += SftLoss.tokenCount(b.labels());
            }
            double loss = tokens == 0 ? Double.NaN : sum / tokens;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("eval_loss", loss);
            m.put("eval_perplexity", Math.exp(loss));
            m.put("eval_tokens", (double) tokens);
            last = m;
            return m;
        }
    }
}
