package dev.align4j.cli;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.dpo.DpoConfig;
import dev.align4j.core.run.RunResult;
import dev.align4j.dpo.DpoLossType;
import dev.align4j.dpo.DpoRun;
import dev.align4j.dpo.DpoTrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j dpo --config dpo.yaml}: preference optimisation (DPO, IPO, hinge, robust, SimPO, ORPO,
 * KTO) from a model folder on preference pairs. One flat YAML holds the training arguments, the PEFT
 * settings and the DPO keys (see dpo/README.md); flags override it.
 */
@Command(name = "dpo", mixinStandardHelpOptions = true,
        description = "Align a model on preference pairs with DPO or a related loss (ipo, hinge, robust, simpo, orpo, kto).")
public final class DpoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--data", paramLabel = "FILE", description = "preference pairs (or KTO records)")
    String data;

    @Option(names = "--model", paramLabel = "DIR", description = "the policy's starting model folder (usually the SFT model)")
    String model;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "run folder")
    String outputDir;

    @Option(names = "--max-steps", description = "optimizer steps (overrides num_train_epochs)")
    Long maxSteps;

    @Option(names = "--loss-type", paramLabel = "TYPE", description = "sigmoid, hinge, ipo, robust, simpo, orpo or kto")
    DpoLossType lossType;

    @Option(names = "--beta", description = "KL strength toward the reference (default 0.1)")
    Double beta;

    @Mixin
    ResumeOption resume = new ResumeOption();

    @Override
    public Integer call() {
        ConfigLoader.Parts parts = config.loadParts(ConfigOptions.flags(
                "data", data, "model", model, "output_dir", outputDir, "max_steps", ConfigOptions.atLeast("--max-steps", maxSteps, 1),
                "loss_type", lossType == null ? null : lossType.name().toLowerCase(Locale.ROOT), "beta", beta,
                "resume_from_checkpoint", resume.checkpoint()),
                TrainingArgs.class, PeftConfig.class, DpoConfig.class);
        TrainingArgs args = parts.get(TrainingArgs.class);
        PrintWriter out = spec.commandLine().getOut();
        try (DpoRun run = parts.locating(() -> DpoTrainer.prepare(args, parts.get(PeftConfig.class),
                parts.get(DpoConfig.class)))) {
            RunLogging.attach(run.outputDir());
            TrainOutput printer = new TrainOutput(out, "align4j dpo", args.loggingSteps(), "loss");
            long start = System.nanoTime();
            RunResult r = printer.attach(run).train();
            if (r.interrupted()) {
                return printer.interrupted(r);
            }
            out.printf(Locale.ROOT, "dpo: %d steps (%.1f s)%n", r.steps(), (System.nanoTime() - start) / 1e9);
            Map<String, Double> train = new TreeMap<>(r.metrics());
            train.keySet().removeIf(k -> k.startsWith("eval_"));
            print(out, "train", train);
            printer.metrics("eval", r.metrics(), "eval_");
            printer.folders(r);
        }
        return 0;
    }

    private static void print(PrintWriter out, String label, Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(label).append(':');
        new TreeMap<>(metrics).forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s=%.4g", k, v)));
        out.println(sb);
    }
}
