package dev.align4j.dpo;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.run.Provenance;
import dev.align4j.core.run.RunLifecycle;
import dev.align4j.core.train.BatchSource;
import dev.align4j.core.train.DataOrder;
import dev.align4j.core.train.EvalFunction;
import dev.align4j.core.train.StepOutput;
import dev.align4j.core.train.TrainResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.train.TrainingEngine;
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
 * A validated DPO run ({@link DpoTrainer#prepare}) of any {@link DpoLossType}, on the shared
 * {@link TrainingEngine} and the run lifecycle ({@link RunLifecycle}).
 *
 * <ol>
 *   <li>{@link DpoTrainer#prepare} validated everything (model folders, data, template, PEFT, sample
 *       prompts) before writing.
 *   <li>Reference log-probs: with {@code precompute_ref_log_probs} computed once, batched and without
 *       gradient, into {@link ReferenceLogProbs} ({@code output_dir/ref_logps.jsonl}, reused on
 *       resume). A LoRA/QLoRA policy is its own reference with the adapters switched off; otherwise
 *       the reference folder is loaded, scored and closed before training starts.
 *   <li>Each step: one forward of the policy over the 2B chosen+rejected sequences
 *       ({@link PairBatch}), the loss by type ({@link DpoObjective}); eval on the validation pairs
 *       with {@code eval_} metrics. NaN/Inf anywhere stops the run (core.run.NonFiniteGuard).
 *   <li>Writes {@code output_dir/model} (LoRA merged into a plain model; the adapter also in
 *       {@code output_dir/adapter}) with provenance.json, and {@code samples.jsonl}.
 * </ol>
 */
public final class DpoRun extends RunLifecycle {

    private static final Logger LOG = LogManager.getLogger(DpoRun.class);

    private final TrainingArgs args;
    private final PeftConfig peft;
    private final DpoConfig cfg;
    private final ModelBundle policy;
    private final DpoData data;
    private final List<List<Message>> samplePrompts;
    private final Path refDir;
    private final boolean separateRef;
    private final Device device;
    private String baseHash;
    private Reference reference;
    private TrainResult result;
    private double refSeconds;

    DpoRun(TrainingArgs args, PeftConfig peft, DpoConfig cfg, ModelBundle policy, DpoData data,
            List<List<Message>> samplePrompts, boolean separateRef, Device device) {
        super(Path.of(args.outputDir()), args.totalSteps((data.train().length + args.perDeviceTrainBatchSize() - 1)
                / args.perDeviceTrainBatchSize()));
        this.args = args;
        this.peft = peft;
        this.cfg = cfg;
        this.policy = policy;
        this.data = data;
        this.samplePrompts = samplePrompts;
        this.refDir = Path.of(cfg.refModel());
        this.separateRef = separateRef;
        this.device = device;
        Peft.check(policy.model(), peft); // before the run folder exists
    }

    private boolean lora() {
        return LoraExport.adapters(peft);
    }

    public DpoData data() {
        return data;
    }

    @Override
    protected Trained fit() {
        Path out = outputDir();
        CausalLM model = policy.model();
        Map<String, Parameter> trainable = Peft.apply(model, peft, policy.manager(), args.seed());
        baseHash = lora() ? Adapters.baseModelHash(model) : null;
        createDir(out);
        long t0 = System.nanoTime();
        reference = cfg.lossType().needsReference() ? reference(model, refDir, separateRef, data, device, out) : null;
        refSeconds = (System.nanoTime() - t0) / 1e9;
        result = engine(model, trainable, reference, policy.tokenizer().padId()).run();
        Map<String, Double> metrics = new LinkedHashMap<>(result.lastMetrics());
        metrics.putAll(result.lastEval());
        LOG.info("DPO: {} steps, reference {} s, training {} s", result.steps(), String.format("%.1f", refSeconds),
                String.format("%.1f", (System.nanoTime() - t0) / 1e9 - refSeconds));
        return new Trained(result.steps(), metrics, result.lastCheckpoint(), result.stopped());
    }

    @Override
    protected Exported export(Trained t) {
        Path out = outputDir();
        Path adapterDir = lora() ? LoraExport.saveAdapter(out, policy.model(), peft, baseHash) : null;
        Path finalDir = out.resolve("model");
        Provenance provenance = provenance(t);
        int maxLength = cfg.maxLengthOr(policy.config().contextLength());
        policy.saveFinal(finalDir, lora(), provenance.asMap(), args.seed(),
                saved -> DpoSamples.write(out, saved, samplePrompts, cfg, maxLength, args.seed()));
        provenance.write(out);
        return new Exported(finalDir, adapterDir, Map.of());
    }

    private static void createDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
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

    private TrainingEngine<PairBatch> engine(CausalLM model, Map<String, Parameter> trainable, Reference reference,
            int padId) {
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
                return DpoRun.this.batchesPerEpoch(data);
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
        EvalFunction eval = data.validation().length == 0 ? null
                : (step, manager) -> evaluate(model, data, reference, objective, padId, manager);
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
                .optSinks(extraSinks())
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

    private Provenance provenance(Trained t) {
        return Provenance.builder("dpo").setPeft(peft.method().configName()).setBaseModel(cfg.model())
                .setData(List.of(cfg.data()), data.dataHash()).setSeed(args.seed()).setSteps(t.steps())
                .setFinalMetrics(t.metrics()).setBestCheckpoint(result.bestCheckpoint())
                .setConfig(ConfigLoader.toTree(args, peft, cfg))
                .put("loss_type", cfg.lossType().name().toLowerCase(java.util.Locale.ROOT))
                .put("ref_model", cfg.lossType().needsReference() ? cfg.refModel() : null)
                .put("ref_logps_key", reference == null ? null : reference.key())
                .build();
    }

    @Override
    public void close() {
        try {
            if (reference != null) {
                reference.close();
            }
        } finally {
            policy.close();
        }
    }
}
