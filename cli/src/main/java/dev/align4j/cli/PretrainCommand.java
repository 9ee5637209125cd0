package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.sft.LmRun;
import dev.align4j.sft.PretrainConfig;
import dev.align4j.sft.Pretrainer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j pretrain}: causal-LM training on plain text, from scratch or continuing a model.
 * Writes the same run folder as {@code sft} (config.json, run.json, metrics.jsonl, run.log,
 * checkpoints/, model/, samples.jsonl).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Train a causal LM on plain text (every token counts).",
        footer = {"", "Example: align4j pretrain --text builtin:quickstart --model-config tiny --max-steps 100 "
                + "--output-dir runs/quickstart"})
final class PretrainCommand implements Callable<Integer> {

    /** The corpus in the jar, for {@code --text builtin:quickstart}. */
    static final String QUICKSTART = "builtin:quickstart";
    private static final String QUICKSTART_RESOURCE = "/corpus/quickstart.txt";

    @Spec
    CommandSpec spec;

    @Option(names = "--text", required = true, arity = "1..*", paramLabel = "FILE",
            description = "UTF-8 text files, or " + QUICKSTART + " (the corpus shipped in the jar)")
    List<String> text;

    @Option(names = "--model-config", paramLabel = "tiny|small|tiny-llama|small-llama|FILE",
            description = "shape of a fresh model (default tiny)")
    String modelConfig;

    @Option(names = "--model", paramLabel = "DIR", description = "model folder to continue training")
    String model;

    @Option(names = "--tokenizer", paramLabel = "DIR|byte|bpe:N",
            description = "fresh model's tokenizer (default byte; bpe:N trains one on the text)")
    String tokenizer;

    @Option(names = "--output-dir", required = true, paramLabel = "DIR", description = "run folder")
    Path outputDir;

    @Option(names = "--max-steps", paramLabel = "N", description = "optimizer steps (default: one epoch)")
    Long maxSteps;

    @Option(names = "--seq-len", paramLabel = "N", description = "tokens per sequence (default 128)")
    Integer seqLen;

    @Option(names = "--batch-size", paramLabel = "N", description = "sequences per step (default 16)")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "peak rate (default 3e-3, cosine)")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "N", description = "seed of init, data order and split (default 42)")
    Long seed;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu[:N]", description = "default auto")
    String device;

    @Mixin
    ResumeOption resume = new ResumeOption();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "any training or pretrain key (repeatable), e.g. --set eval_steps=50")
    Map<String, String> set = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Map<String, String> o = new LinkedHashMap<>(PretrainConfig.TRAINING_DEFAULTS);
        o.putAll(set);
        Map<String, Object> flags = ConfigOptions.flags("text", text, "model_config", modelConfig, "model", model,
                "tokenizer", tokenizer, "output_dir", outputDir, "max_steps", ConfigOptions.atLeast("--max-steps", maxSteps, 1), "seq_len", seqLen,
                "per_device_train_batch_size", batchSize, "learning_rate", learningRate, "seed", seed,
                "device", device, "resume_from_checkpoint", resume.checkpoint());
        ConfigOptions asText = new ConfigOptions();
        asText.set = o;
        ConfigLoader.Parts parts = ConfigLoader.loadParts(null, asText.overrides(flags), TrainingArgs.class,
                PretrainConfig.class);
        TrainingArgs args = parts.get(TrainingArgs.class);
        PretrainConfig cfg = parts.get(PretrainConfig.class);
        List<Pretrainer.Text> texts = new ArrayList<>();
        for (String t : cfg.text()) {
            texts.add(read(t));
        }
        try (LmRun run = Pretrainer.prepare(args, cfg, texts)) {
            RunLogging.attach(run.outputDir());
            TrainOutput out = new TrainOutput(spec.commandLine().getOut(), "align4j pretrain", args.loggingSteps(),
                    "loss");
            out.header("pretrain", run);
            return out.summary(out.attach(run).train());
        }
    }

    /** A text file, or the quickstart corpus from the classpath. */
    static Pretrainer.Text read(String spec) {
        if (spec.equals(QUICKSTART)) {
            try (InputStream in = PretrainCommand.class.getResourceAsStream(QUICKSTART_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(QUICKSTART_RESOURCE + " is missing from the jar");
                }
                return new Pretrainer.Text(spec, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + QUICKSTART_RESOURCE, e);
            }
        }
        Path p = Path.of(spec);
        if (!Files.exists(p)) {
            throw new UserInputException("--text: " + spec + ": no such file (or use " + QUICKSTART + ")");
        }
        String text;
        try {
            text = TextFiles.readUtf8(p, "text file");
        } catch (UserInputException e) {
            throw new UserInputException("--text: " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw new UserInputException("--text: " + spec + ": the file is empty (nothing to train on)");
        }
        return new Pretrainer.Text(spec, text);
    }
}
