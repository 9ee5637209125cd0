package dev.align4j.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.RunFiles;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.StepOutput;
import dev.align4j.core.train.TrainingArgs;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a reward model on preference pairs with the shared {@link dev.align4j.core.train.TrainingEngine}: each micro-batch
 * scores B pairs in one forward pass of 2B sequences ({@link RewardBatch}) and minimises
 * {@link RewardLoss#bradleyTerry} (plus {@link RewardLoss#centering} when its coefficient is set).
 * The head always trains; the backbone trains as the {@code PeftConfig} says.
 *
 * <p>{@link #prepare} validates and returns a {@link RewardRun}, which trains through the shared run
 * lifecycle; after the last step it scores every training response to get {@link RewardStats} and
 * writes {@code output_dir/model} (a {@link RewardBundle} folder with provenance.json; LoRA is merged
 * into it) and, for LoRA, {@code output_dir/adapter}. The model is the one after the last step; the
 * best checkpoint by eval_accuracy stays under {@code checkpoints/}.
 *
 * <p>From Java code (the Java API; README "Using align4j as a library"): build each part with its
 * builder, unset keys taking the defaults a config file gets, and call {@code train} or {@code prepare}:
 *
 * <pre>{@code
 * RunResult r = RewardTrainer.train(
 *         RewardSettings.trainingDefaults().outputDir("runs/rm").maxSteps(100).build(),
 *         RewardSettings.defaultPeft(),
 *         RewardConfig.builder().model("runs/sft/model").data("pairs.jsonl").build());
 * }</pre>
 */
public final class RewardTrainer {

    private static final Logger LOG = LogManager.getLogger(RewardTrainer.class);
    /** The folder of the final model inside output_dir. */
    public static final String MODEL_DIR = "model";

    private RewardTrainer() {
    }

    /** Pairs read, split and tokenized, checked before anything is written. */
    record Prepared(List<TokenizedPreference> train, List<TokenizedPreference> val, int skipped,
            int truncated, String dataHash) {
    }

    /**
     * The same entry point as SFT's and DPO's: prepares, trains and closes. Start {@code args} from
     * {@link RewardSettings#trainingDefaults()} and {@code peft} from {@link RewardSettings#defaultPeft()}
     * to get the reward-modelling defaults a config file gets.
     */
    public static RunResult train(TrainingArgs args, PeftConfig peft, RewardConfig cfg) {
        return train(new RewardSettings(args, peft, cfg));
    }

    /** {@link #prepare(RewardSettings)} for the three parts; writes nothing. */
    public static RewardRun prepare(TrainingArgs args, PeftConfig peft, RewardConfig cfg) {
        return prepare(new RewardSettings(args, peft, cfg));
    }

    /** Validates, trains and saves; see the class doc. */
    public static RunResult train(RewardSettings s) {
        try (RewardRun run = prepare(s)) {
            return run.train();
        }
    }

    /**
     * Reads, splits and tokenizes the data and loads the model, writing nothing: a bad record, a
     * missing model or a max_length over the context stops here (DESIGN.md: no output for a bad run).
     */
    public static RewardRun prepare(RewardSettings s) {
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
        RunFiles.validate(s.args());
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
        try {
            return new RewardRun(s, rm, p);
        } catch (RuntimeException e) {
            rm.close();
            throw e;
        }
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
