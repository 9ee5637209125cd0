package dev.align4j.cli;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.sft.LmRun;
import dev.align4j.sft.SftConfig;
import dev.align4j.sft.SftTrainer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j sft}: supervised fine-tuning from one flat YAML (training args + PEFT + SFT keys).
 * Everything is read and checked before the run folder is created.
 */
@Command(name = "sft", mixinStandardHelpOptions = true,
        description = "Supervised fine-tuning (full, freeze, bitfit, lora, qlora) on instruction or chat data.",
        footer = {"", "Keys: sft/README.md. Example: align4j sft --config sft/examples/alpaca-tiny.yaml --max-steps 50"})
final class SftCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--data", arity = "1..*", paramLabel = "FILE", description = "data files (replaces the config's data)")
    List<String> data;

    @Option(names = "--method", paramLabel = "METHOD", description = "full, freeze, bitfit, lora or qlora")
    PeftMethod method;

    @Option(names = "--max-steps", paramLabel = "N", description = "optimizer steps")
    Long maxSteps;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "run folder")
    Path outputDir;

    @Option(names = "--model", paramLabel = "DIR", description = "model folder to fine-tune")
    String model;

    @Mixin
    ResumeOption resume = new ResumeOption();

    @Override
    public Integer call() {
        ConfigLoader.Parts parts = config.loadParts(ConfigOptions.flags(
                "data", data, "method", method == null ? null : method.configName(), "max_steps", ConfigOptions.atLeast("--max-steps", maxSteps, 1),
                "output_dir", outputDir, "model", model, "resume_from_checkpoint", resume.checkpoint()),
                TrainingArgs.class, PeftConfig.class, SftConfig.class);
        TrainingArgs args = parts.get(TrainingArgs.class);
        try (LmRun run = parts.locating(() -> SftTrainer.prepare(args, parts.get(PeftConfig.class),
                parts.get(SftConfig.class)))) {
            RunLogging.attach(run.outputDir());
            TrainOutput out = new TrainOutput(spec.commandLine().getOut(), "align4j sft", args.loggingSteps(), "loss");
            out.header("sft", run);
            return out.summary(out.attach(run).train());
        }
    }
}
