package dev.align4j.dpo;

import ai.djl.Device;
import dev.align4j.core.UserInputException;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.run.RunFiles;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.List;

/**
 * DPO and its relatives ({@link DpoLossType}): {@link #prepare} validates every input (model folders,
 * data, template, PEFT, sample prompts, output folder, resume point) and loads the policy, writing
 * nothing; the returned {@link DpoRun} trains through the shared run lifecycle.
 *
 * <pre>{@code
 * try (DpoRun run = DpoTrainer.prepare(args, peft, cfg)) {
 *     RunResult r = run.train();
 * }
 * }</pre>
 *
 * <p>From Java code (the Java API; README "Using align4j as a library"): build each part with its
 * builder, unset keys taking the defaults a config file gets, and call {@code train} or {@code prepare}:
 *
 * <pre>{@code
 * RunResult r = DpoTrainer.train(
 *         TrainingArgs.builder().outputDir("runs/dpo").maxSteps(100).build(),
 *         PeftConfig.builder().method(PeftMethod.LORA).build(),
 *         DpoConfig.builder().model("runs/sft/model").data("pairs.jsonl").beta(0.1).build());
 * }</pre>
 */
public final class DpoTrainer {

    private static final Logger LOG = LogManager.getLogger(DpoTrainer.class);

    private DpoTrainer() {
    }

    /** Prepares, trains and closes. */
    public static RunResult train(TrainingArgs args, PeftConfig peft, DpoConfig cfg) {
        try (DpoRun run = prepare(args, peft, cfg)) {
            return run.train();
        }
    }

    /** Reads and checks everything; bad input throws {@link UserInputException} before anything is written. */
    public static DpoRun prepare(TrainingArgs args, PeftConfig peft, DpoConfig cfg) {
        Path modelDir = Path.of(cfg.model());
        Path refDir = Path.of(cfg.refModel());
        boolean separateRef = !sameFolder(modelDir, refDir);
        boolean lora = LoraExport.adapters(peft);
        if (separateRef && lora) {
            throw new UserInputException("ref_model: with " + peft.method().configName() + " the reference is the "
                    + "policy with its adapters switched off, so ref_model must be unset or equal model ("
                    + modelDir + "), got " + refDir);
        }
        if (cfg.lossType().needsReference()) {
            ModelFolder.detect(refDir);
        }
        RunFiles.validate(args);
        Device device = Devices.resolve(args.device());
        ModelBundle policy = ModelBundle.load(modelDir, device, cfg.template());
        try {
            DpoData data = DpoData.load(cfg, policy.tokenizer(), policy.template(),
                    policy.config().contextLength(), args.seed());
            List<List<Message>> samplePrompts = DpoSamples.prompts(cfg, data);
            LOG.info("DPO {}: {} train / {} validation {} from {} ({} cut to max_length)",
                    cfg.lossType(), data.train().length, data.validation().length,
                    data.unpaired() ? "examples" : "pairs", cfg.data(), data.truncated());
            return new DpoRun(args, peft, cfg, policy, data, samplePrompts, separateRef, device);
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
