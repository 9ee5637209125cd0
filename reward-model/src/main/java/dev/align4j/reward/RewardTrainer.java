package dev.align4j.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.StepOutput;
import dev.align4j.core.train.TrainResult;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.core.train.TrainingListener;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.split.Split;
import dev.align4j.datasets.tokenize.PreferenceEncoder;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a reward model on preference pairs with the shared {@link TrainingEngine}: each micro-batch
 * scores B pairs in one forward pass of 2B sequences ({@link RewardBatch}) and minimises
 * {@link RewardLoss#bradleyTerry} (plus {@link RewardLoss#centering} when its coefficient is set).
 * The head always trains; the backbone trains as the {@code PeftConfig} says.
 *
 * <p>After the last step it scores every training response to get {@link RewardStats} and writes
 * {@code output_dir/model} (a {@link RewardBundle} folder with provenance.json; LoRA is merged into
 * it) and, for LoRA, {@code output_dir/adapter}. The model is the one after the last step; the best
 * checkpoint by eval_accuracy stays under {@code checkpoints/}.
 */
public final class RewardTrainer {

    private static final Logger LOG = LogManager.getLogger(RewardTrainer.class);
    /** The folder of the final model inside output_dir. */
    public static final String MODEL_DIR = "model";
    public static final String ADAPTER_DIR = "adapter";

    /**
     * What a run did.
     *
     * @param train the engine's result
     * @param trainMetrics metrics of the final model over every training pair ({@code train_*})
     * @param evalMetrics final validation metrics ({@code eval_*}); empty without a validation set
     */
    public record Result(Path modelDir, TrainResult train, Map<String, Double> trainMetrics,
            Map<String, Double> evalMetrics, RewardStats stats, int trainPairs, int valPairs, int skipped,
            int truncated, double seconds) {
    }

    private RewardTrainer() {
    }

    /** Pairs read, split and tokenized, checked before anything is written. */
    private record Prepared(List<TokenizedPreference> train, List<TokenizedPreference> val, int skipped,
            int truncated, String dataHash) {
    }

    /** Validates, trains and saves; see the class doc. */
    public static Result train(RewardSettings s) {
        try (Session session = prepare(s)) {
            return session.train();
        }
    }

    /**
     * Reads, splits and tokenizes the data and loads the model, writing nothing: a bad record, a
     * missing model or a max_length over the context stops here (DESIGN.md: no output for a bad run).
     */
    public static Session prepare(RewardSettings s) {
        long start = System.nanoTime();
        RewardConfig cfg = s.reward();
        Path dataFile = Path.of(cfg.data());
        if (!Files.isRegularFile(dataFile)) {
            throw new UserInputException(dataFile + ": data file not found");
        }
        LoadedDataset ds = DatasetLoader.load(dataFile, cfg.loadOptions());
        if (ds.format().kind() != DataFormat.Kind.PREFERENCE) {
            throw new UserInputException(dataFile + ": reward models train on preference pairs, but the records are "
                    + ds.format().name().toLowerCase(java.util.Locale.ROOT) + " (pass format: preference or hh_rlhf)");
        }
        Split<PreferenceExample> split;
        try {
            split = Split.of(ds.as(PreferenceExample.class), cfg.splitSpec(), s.args().seed());
        } catch (IllegalArgumentException e) {
            throw new UserInputException("val_set_size: " + e.getMessage(), e);
        }
        if (split.train().isEmpty()) {
            throw new UserInputException(dataFile + ": no training pairs");
        }
        Device device = Devices.resolve(s.args().device());
        ModelBundle base = ModelBundle.load(Path.of(cfg.model()), device, cfg.template());
        RewardBundle rm;
        try {
            rm = RewardBundle.create(base, cfg.lengths());
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
        PreferenceEncoder enc = new PreferenceEncoder(base.tokenizer(), base.template(), cfg.lengths());
        List<TokenizedPreference> train = split.train().stream().map(enc::encode).toList();
        List<TokenizedPreference> val = split.validation().stream().map(enc::encode).toList();
        Prepared p = new Prepared(train, val, ds.skipped(), enc.truncatedCount(), Hashing.sha256(dataFile));
        LOG.info("reward data: {} train pairs, {} validation, {} skipped, {} cut to max_length {}",
                train.size(), val.size(), p.skipped(), p.truncated(), cfg.maxLength());
        return new Session(s, rm, p, start);
    }

    /** A validated run, ready to {@link #train()}; closing frees the model. */
    public static final class Session implements AutoCloseable {
        private final RewardSettings settings;
        private final RewardBundle rm;
        private final Prepared prepared;
        private final long start;

        private Session(RewardSettings settings, RewardBundle rm, Prepared prepared, long start) {
            this.settings = settings;
            this.rm = rm;
            this.prepared = prepared;
            this.start = start;
        }

        public int trainPairs() {
            return prepared.train().size();
        }

        public int valPairs() {
            return prepared.val().size();
        }

        public Result train() {
            return run(settings, rm, prepared, start);
        }

        @Override
        public void close() {
            rm.close();
        }
    }

    private static Result run(RewardSettings s, RewardBundle rm, Prepared p, long start) {
        RewardConfig cfg = s.reward();
        CausalLM model = rm.base().model();
        boolean lora = s.peft().method() == PeftMethod.LORA || s.peft().method() == PeftMethod.QLORA;
        String baseHash = lora ? Adapters.baseModelHash(model) : null;
        Map<String, Parameter> trainable = new LinkedHashMap<>(Peft.apply(model, s.peft(), rm.base().manager()));
        trainable.putAll(rm.headParameters());
        Map<String, Parameter> all = new LinkedHashMap<>();
        rm.parameters().forEach((k, v) -> {
            if (v.isInitialized()) {
                all.put(k, v); // QLoRA leaves the dense copies of quantized weights uninitialised
            }
        });
        double coef = cfg.centerRewardsCoefficient();
        boolean dropout = !cfg.disableDropout();
        int evalBatch = s.args().perDeviceEvalBatchSize();
        Map<String, Double> lastEval = new LinkedHashMap<>();
        TrainingEngine<RewardBatch> engine = TrainingEngine.<RewardBatch>builder()
                .setParameters(trainable)
                .optModelParameters(all)
                .setArgs(s.args())
                .setData(new RewardData(p.train(), s.args().perDeviceTrainBatchSize(), rm.base().tokenizer().padId(),
                        cfg.useMargin(), p.dataHash()))
                .setLoss((batch, mgr) -> step(rm, batch, coef, dropout))
                .optEval(p.val().isEmpty() ? null : (step, mgr) -> {
                    RewardMetrics.Scores sc = RewardMetrics.score(rm, p.val(), evalBatch);
                    Map<String, Double> m = RewardMetrics.of(sc.chosen(), sc.rejected(),
                            cfg.useMargin() ? sc.margins() : null, coef, "eval_");
                    lastEval.clear();
                    lastEval.putAll(m);
                    return m;
                })
                .optListener(new TrainingListener() {
                    @Override
                    public boolean onStep(long step, Map<String, Double> metrics) {
                        return !Interrupts.requested();
                    }
                })
                .optRunConfig(s.toTree())
                .build();
        TrainResult tr = engine.run();

        RewardMetrics.Scores sc = RewardMetrics.score(rm, p.train(), evalBatch);
        Map<String, Double> trainMetrics = RewardMetrics.of(sc.chosen(), sc.rejected(),
                cfg.useMargin() ? sc.margins() : null, coef, "train_");
        float[] responses = new float[2 * sc.size()];
        System.arraycopy(sc.chosen(), 0, responses, 0, sc.size());
        System.arraycopy(sc.rejected(), 0, responses, sc.size(), sc.size());
        rm.setStats(RewardStats.of(responses, "chosen and rejected responses of the " + sc.size() + " training pairs"));

        Path out = Path.of(s.args().outputDir());
        if (lora) {
            try {
                Adapters.save(out.resolve(ADAPTER_DIR), model, s.peft(), baseHash);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot save the adapter to " + out.resolve(ADAPTER_DIR), e);
            }
            Lora.merge(model);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("method", "reward");
        prov.put("base_model", cfg.model());
        prov.put("data", cfg.data());
        prov.put("data_hash", p.dataHash());
        prov.put("seed", s.args().seed());
        prov.put("steps", tr.steps());
        prov.put("train_pairs", p.train().size());
        prov.put("val_pairs", p.val().size());
        prov.put("train_metrics", trainMetrics);
        prov.put("eval_metrics", lastEval);
        prov.put("reward_stats", rm.stats());
        prov.put("created_at", Instant.now().toString());
        prov.put("config", s.toTree());
        Path modelDir = out.resolve(MODEL_DIR);
        rm.save(modelDir, cfg, prov);
        LOG.info("reward model saved to {} (train accuracy {}, eval {})", modelDir,
                trainMetrics.get("train_accuracy"), lastEval.get("eval_accuracy"));
        return new Result(modelDir, tr, trainMetrics, Map.copyOf(lastEval), rm.stats(), p.train().size(),
                p.val().size(), p.skipped(), p.truncated(), seconds);
    }

    /** One micro-batch: rewards of 2B sequences, loss of the B pairs, host-side metrics. */
    static StepOutput step(RewardBundle rm, RewardBatch batch, double coef, boolean dropout) {
        int b = batch.pairs();
        NDArray r = rm.rewards(batch.ids(), batch.mask(), dropout); // (2B)
        NDArray chosen = r.get("0:" + b);
        NDArray rejected = r.get(b + ":");
        NDArray loss = RewardLoss.bradleyTerry(chosen, rejected, batch.margins());
        if (coef > 0) {
            loss = loss.add(RewardLoss.centering(chosen, rejected, coef));
        }
        float[] host = r.stopGradient().toFloatArray();
        float[] c = new float[b];
        float[] rej = new float[b];
        System.arraycopy(host, 0, c, 0, b);
        System.arraycopy(host, b, rej, 0, b);
        StepOutput o = StepOutput.of(loss);
        RewardMetrics.of(c, rej, null, 0, "").forEach((k, v) -> {
            if (!k.equals("loss")) {
                o.metric(k, v);
            }
        });
        return o;
    }

    /** Pairs of {@code examples} tokenized as training does (for eval and score commands). */
    public static List<TokenizedPreference> encode(RewardBundle rm, List<PreferenceExample> examples) {
        PreferenceEncoder enc = new PreferenceEncoder(rm.base().tokenizer(), rm.base().template(), rm.lengths());
        List<TokenizedPreference> out = new ArrayList<>(examples.size());
        for (PreferenceExample ex : examples) {
            out.add(enc.encode(ex));
        }
        return out;
    }
}
