package dev.align4j.dpo;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.BatchSource;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.DataOrder;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.EvalFunction;
import dev.align4j.core.train.StepOutput;
import dev.align4j.core.train.TrainResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.core.train.TrainingListener;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DPO and its relatives ({@link DpoLossType}) on the shared {@link TrainingEngine}.
 *
 * <ol>
 *   <li>Validates everything (model folders, data, template, PEFT, sample prompts) before writing.
 *   <li>Reference log-probs: with {@code precompute_ref_log_probs} computed once, batched and without
 *       gradient, into {@link ReferenceLogProbs} ({@code output_dir/ref_logps.jsonl}, reused on
 *       resume). A LoRA/QLoRA policy is its own reference with the adapters switched off; otherwise
 *       the reference folder is loaded, scored and closed before training starts.
 *   <li>Each step: one forward of the policy over the 2B chosen+rejected sequences
 *       ({@link PairBatch}), the loss by type ({@link DpoObjective}); eval on the validation pairs
 *       with {@code eval_} metrics. NaN/Inf anywhere stops the run ({@link NonFiniteGuard}).
 *   <li>Writes {@code output_dir/model} (LoRA merged into a plain model; the adapter also in
 *       {@code output_dir/adapter}) with provenance.json, and {@code samples.jsonl}.
 * </ol>
 */
public final class DpoTrainer {

    private static final Logger LOG = LogManager.getLogger(DpoTrainer.class);

    /**
     * @param modelDir the final model folder (null when the run was interrupted)
     * @param adapterDir the LoRA adapter folder, or null
     * @param lastMetrics the last step's training metrics
     * @param evalMetrics the last evaluation's metrics (empty without a validation split)
     * @param refSeconds time spent scoring the reference
     * @param trainSeconds time in the training loop
     */
    public record Result(Path outputDir, Path modelDir, Path adapterDir, TrainResult train,
            Map<String, Double> lastMetrics, Map<String, Double> evalMetrics, double refSeconds,
            double trainSeconds, boolean interrupted) {
    }

    private final TrainingArgs args;
    private final PeftConfig peft;
    private final DpoConfig cfg;
    private java.util.function.Consumer<Path> beforeWrite = dir -> { };

    public DpoTrainer(TrainingArgs args, PeftConfig peft, DpoConfig cfg) {
        this.args = args;
        this.peft = peft;
        this.cfg = cfg;
    }

    /**
     * Called with output_dir once every input has been validated, just before the first write (the
     * CLI attaches its run.log here, so a bad run leaves no folder behind).
     */
    public DpoTrainer onValidated(java.util.function.Consumer<Path> hook) {
        this.beforeWrite = hook;
        return this;
    }

    private boolean lora() {
        return peft.method() == PeftMethod.LORA || peft.method() == PeftMethod.QLORA;
    }

    /** Trains; see the class comment. Bad input throws {@link UserInputException} before anything is written. */
    public Result train() {
        Path out = Path.of(args.outputDir());
        Path modelDir = Path.of(cfg.model());
        Path refDir = Path.of(cfg.refModel());
        boolean separateRef = !sameFolder(modelDir, refDir);
        if (separateRef && lora()) {
            throw new UserInputException("ref_model: with " + peft.method().configName() + " the reference is the "
                    + "policy with its adapters switched off, so ref_model must be unset or equal model ("
                    + modelDir + "), got " + refDir);
        }
        if (cfg.lossType().needsReference()) {
            ModelFolder.detect(refDir);
        }
        if (args.resumeFromCheckpoint() != null) {
            Checkpoint.resolve(args.resumeFromCheckpoint(), out);
        }
        Device device = Devices.resolve(args.device());
        try (ModelBundle policy = ModelBundle.load(modelDir, device, cfg.template())) {
            DpoData data = DpoData.load(cfg, policy.tokenizer(), policy.template(),
                    policy.config().contextLength(), args.seed());
            List<List<Message>> samplePrompts = DpoSamples.prompts(cfg, data);
            CausalLM model = policy.model();
            Map<String, Parameter> trainable = Peft.apply(model, peft, policy.manager());
            String baseHash = lora() ? Adapters.baseModelHash(model) : null;
            LOG.info("DPO {}: {} train / {} validation {} from {} ({} cut to max_length)",
                    cfg.lossType(), data.train().length, data.validation().length,
                    data.unpaired() ? "examples" : "pairs", cfg.data(), data.truncated());
            beforeWrite.accept(out);
            createDir(out);

            long t0 = System.nanoTime();
            Reference reference = cfg.lossType().needsReference()
                    ? reference(model, refDir, separateRef, data, device, out) : null;
            double refSeconds = (System.nanoTime() - t0) / 1e9;
            try {
                Map<String, Double> last = new LinkedHashMap<>();
                Map<String, Double> lastEval = new LinkedHashMap<>();
                TrainResult tr = engine(model, trainable, data, reference, policy.tokenizer().padId(), last, lastEval, out)
                        .run();
                double trainSeconds = (System.nanoTime() - t0) / 1e9 - refSeconds;
                boolean interrupted = tr.steps() < args.totalSteps(batchesPerEpoch(data));
                if (interrupted) {
                    LOG.warn("stopped at step {}: resume with resume_from_checkpoint=latest", tr.steps());
                    return new Result(out, null, null, tr, last, lastEval, refSeconds, trainSeconds, true);
                }
                Map<String, Object> prov = provenance(data, reference, tr, last, lastEval);
                DpoExport export = new DpoExport(out, cfg, peft, device);
                Path adapterDir = lora() ? export.saveAdapter(model, baseHash) : null;
                Path finalDir = export.saveModel(policy, lora(), prov, samplePrompts, data, args.seed());
                LOG.info("DPO done: {} steps, reference {} s, training {} s; model in {}", tr.steps(),
                        String.format("%.1f", refSeconds), String.format("%.1f", trainSeconds), finalDir);
                return new Result(out, finalDir, adapterDir, tr, last, lastEval, refSeconds, trainSeconds, false);
            } finally {
                if (reference != null) {
                    reference.close();
                }
            }
        }
    }

    /** Reference log-probs of a batch: {@code [sums (2B), counts (2B)]}, without gradient. */
    interface Reference extends AutoCloseable {
        NDArray[] of(PairBatch batch, NDManager manager);

        /** The cache key (hash of data, reference weights and settings), or null when scored live. */
        default String key() {
            return null;
        }

        @Override
        default void close() {
        }
    }

    private Reference reference(CausalLM policy, Path refDir, boolean separate, DpoData data, Device device,
            Path out) {
        int bs = args.perDeviceEvalBatchSize();
        int pad = 0; // padding is never scored: any id works
        if (!cfg.precomputeRefLogProbs()) {
            if (!separate && lora()) {
                return (batch, m) -> withAdaptersOff(policy, () -> detach(SequenceLogProbs.of(policy, batch, false)));
            }
            ModelBundle ref = ModelBundle.load(refDir, device, cfg.template());
            ref.model().freezeParameters(true);
            return new Reference() {
                @Override
                public NDArray[] of(PairBatch batch, NDManager manager) {
                    return detach(SequenceLogProbs.of(ref.model(), batch, false));
                }

                @Override
                public void close() {
                    ref.close();
                }
            };
        }
        String key = Hashing.sha256(data.dataHash() + "\n" + Hashing.sha256(refDir) + "\n" + settings());
        Path file = out.resolve(ReferenceLogProbs.FILE);
        ReferenceLogProbs cache = ReferenceLogProbs.load(file, key, data.pairs().size()).orElseGet(() -> {
            ReferenceLogProbs c;
            if (lora()) {
                c = withAdaptersOff(policy, () -> ReferenceLogProbs.compute(key, policy, data.pairs(), bs, pad));
            } else {
                try (ModelBundle ref = ModelBundle.load(refDir, device, cfg.template())) {
                    c = ReferenceLogProbs.compute(key, ref.model(), data.pairs(), bs, pad);
                } // closed: the reference's weights are freed before training
            }
            c.save(file);
            return c;
        });
        return new Reference() {
            @Override
            public NDArray[] of(PairBatch batch, NDManager manager) {
                return cache.lookup(batch, manager);
            }

            @Override
            public String key() {
                return cache.key();
            }
        };
    }

    /** What else, besides data and reference weights, changes the cached numbers. */
    private String settings() {
        return "template=" + cfg.template() + ";max_length=" + cfg.maxLength() + ";max_prompt_length="
                + cfg.maxPromptLength() + ";format=" + cfg.format() + ";map=" + cfg.map() + ";skip_invalid="
                + cfg.skipInvalid() + ";unpaired=" + (cfg.lossType() == DpoLossType.KTO);
    }

    private static <T> T withAdaptersOff(CausalLM model, java.util.function.Supplier<T> body) {
        Adapters.setEnabled(model, false);
        try {
            return body.get();
        } finally {
            Adapters.setEnabled(model, true);
        }
    }

    private static NDArray[] detach(NDArray[] xs) {
        return new NDArray[] {xs[0].stopGradient(), xs[1]};
    }

    private long batchesPerEpoch(DpoData data) {
        int bs = args.perDeviceTrainBatchSize();
        return (data.train().length + bs - 1) / bs;
    }

    private TrainingEngine<PairBatch> engine(CausalLM model, Map<String, Parameter> trainable, DpoData data,
            Reference reference, int padId, Map<String, Double> last, Map<String, Double> lastEval, Path out) {
        DpoObjective objective = new DpoObjective(cfg);
        boolean training = !cfg.disableDropout();
        int bs = args.perDeviceTrainBatchSize();
        BatchSource<PairBatch> source = new BatchSource<>() {
            @Override
            public long size() {
                return data.train().length;
            }

            @Override
            public long batchesPerEpoch() {
                return DpoTrainer.this.batchesPerEpoch(data);
            }

            @Override
            public PairBatch batch(long seed, long epoch, long index, NDManager manager) {
                int n = data.train().length;
                int[] perm = DataOrder.permutation(seed, epoch, n);
                int from = (int) index * bs;
                int to = Math.min(n, from + bs);
                int[] idx = new int[to - from];
                for (int k = from; k < to; k++) {
                    idx[k - from] = data.train()[perm[k]];
                }
                return PairBatch.of(data.pairs(), idx, padId, manager);
            }

            @Override
            public long tokenCount(PairBatch batch) {
                return batch.tokens();
            }

            @Override
            public String dataHash() {
                return data.dataHash();
            }
        };
        NonFiniteGuard guard = new NonFiniteGuard(out);
        TrainingListener listener = new TrainingListener() {
            @Override
            public boolean onStep(long step, Map<String, Double> metrics) {
                guard.check(step, metrics);
                last.clear();
                last.putAll(metrics);
                return !Interrupts.requested();
            }
        };
        EvalFunction eval = data.validation().length == 0 ? null : (step, manager) -> {
            Map<String, Double> m = evaluate(model, data, reference, objective, padId, manager);
            guard.check(step, m);
            lastEval.clear();
            lastEval.putAll(m);
            return m;
        };
        Map<String, Parameter> all = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> {
            if (p.isInitialized()) {
                all.put(k, p); // QLoRA leaves the quantized layers' dense weights uninitialised
            }
        });
        return TrainingEngine.<PairBatch>builder()
                .setParameters(trainable)
                .optModelParameters(all)
                .setArgs(args)
                .setData(source)
                .setLoss((batch, manager) -> objective.compute(SequenceLogProbs.of(model, batch, training),
                        reference == null ? null : reference.of(batch, manager), batch.labels(), ""))
                .optEval(eval)
                .optListener(listener)
                .optRunConfig(ConfigLoader.toTree(args, peft, cfg))
                .build();
    }

    /** Loss and metrics over the validation pairs, each averaged over pairs, with an eval_ prefix. */
    private Map<String, Double> evaluate(CausalLM model, DpoData data, Reference reference, DpoObjective objective,
            int padId, NDManager manager) {
        int[] val = data.validation();
        int bs = args.perDeviceEvalBatchSize();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int from = 0; from < val.length; from += bs) {
            int[] idx = java.util.Arrays.copyOfRange(val, from, Math.min(val.length, from + bs));
            try (NDManager m = manager.newSubManager()) {
                PairBatch b = PairBatch.of(data.pairs(), idx, padId, m);
                StepOutput o = objective.compute(SequenceLogProbs.of(model, b, false),
                        reference == null ? null : reference.of(b, m), b.labels(), "eval_");
                double w = idx.length;
                sums.merge("eval_loss", o.loss().getFloat() * w, Double::sum);
                o.arrayMetrics().forEach((k, v) -> sums.merge(k, v.getFloat() * w, Double::sum));
                o.valueMetrics().forEach((k, v) -> sums.merge(k, v * w, Double::sum));
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, v) -> out.put(k, v / val.length));
        return out;
    }

    private Map<String, Object> provenance(DpoData data, Reference reference, TrainResult tr,
            Map<String, Double> last, Map<String, Double> lastEval) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("method", "dpo");
        p.put("loss_type", cfg.lossType().name().toLowerCase(java.util.Locale.ROOT));
        p.put("base_model", cfg.model());
        p.put("ref_model", cfg.lossType().needsReference() ? cfg.refModel() : null);
        p.put("ref_logps_key", reference == null ? null : reference.key());
        p.put("data", cfg.data());
        p.put("data_hash", data.dataHash());
        p.put("seed", args.seed());
        p.put("steps", tr.steps());
        p.put("metrics", last);
        p.put("eval_metrics", lastEval);
        p.put("config", ConfigLoader.toTree(args, peft, cfg));
        return p;
    }

    private static boolean sameFolder(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
