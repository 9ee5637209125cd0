package dev.align4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Devices;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.format.ColumnMapping;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.JsonRecords;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.Role;
import dev.align4j.datasets.format.SftExample;
import dev.align4j.datasets.format.UnpairedExample;
import dev.align4j.reward.RewardMetrics;
import dev.align4j.core.run.RunResult;
import dev.align4j.reward.RewardRun;
import dev.align4j.reward.RewardSettings;
import dev.align4j.reward.RewardTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j reward}: train a reward model, measure it on pairs, score records with it. */
@Command(name = "reward", mixinStandardHelpOptions = true,
        description = "Train, evaluate and apply reward models (Bradley-Terry on preference pairs).",
        subcommands = {RewardCommand.Train.class, RewardCommand.Eval.class, RewardCommand.Score.class})
public final class RewardCommand {

    /** Data reading flags shared by eval and score. */
    static final class DataOptions {
        @Option(names = "--data", required = true, paramLabel = "FILE", description = "JSON or JSONL records")
        Path data;

        @Option(names = "--format", paramLabel = "FORMAT", description = "record layout (default: detected)")
        String format;

        @Option(names = "--map", paramLabel = "CANONICAL=FIELD", description = "read a field under another name")
        List<String> map = new ArrayList<>();

        @Option(names = "--batch-size", defaultValue = "16", description = "sequences per forward pass (default: ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
        String device;

        LoadOptions loadOptions() {
            DataFormat f = format == null ? null : DataFormat.parse(format).orElseThrow(() -> new UserInputException(
                    "--format: unknown format '" + format + "'"));
            if (batchSize < 1) {
                throw new UserInputException("--batch-size: must be >= 1, got " + batchSize);
            }
            return new LoadOptions(f, ColumnMapping.parse(map), false, false);
        }

        LoadedDataset load() {
            if (!Files.isRegularFile(data)) {
                throw new UserInputException(data + ": data file not found");
            }
            return DatasetLoader.load(data, loadOptions());
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a reward model from a flat YAML of reward, training and PEFT keys.")
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions config = new ConfigOptions();

        @Option(names = "--data", paramLabel = "FILE", description = "preference data (config key data)")
        String data;

        @Option(names = "--model", paramLabel = "DIR", description = "base model folder, usually the SFT model (config key model)")
        String model;

        @Option(names = "--output-dir", paramLabel = "DIR", description = "run folder (config key output_dir)")
        String outputDir;

        @Option(names = "--max-steps", paramLabel = "N", description = "optimizer steps (config key max_steps)")
        Long maxSteps;

        @Mixin
        ResumeOption resume = new ResumeOption();

        @Override
        public Integer call() {
            Map<String, Object> flags = ConfigOptions.flags("data", data, "model", model, "output_dir", outputDir,
                    "max_steps", ConfigOptions.atLeast("--max-steps", maxSteps, 1),
                    "resume_from_checkpoint", resume.checkpoint());
            RewardSettings s = RewardSettings.load(config.file(), config.overrides(flags));
            PrintWriter out = spec.commandLine().getOut();
            try (RewardRun run = config.locating(flags, () -> RewardTrainer.prepare(s))) {
                RunLogging.attach(run.outputDir());
                out.printf(Locale.ROOT, "reward model: %d training pairs, %d validation, base %s -> %s%n",
                        run.trainPairs(), run.valPairs(), s.reward().model(), run.outputDir());
                out.flush();
                TrainOutput printer = new TrainOutput(out, "align4j reward train", s.args().loggingSteps(), "loss");
                long start = System.nanoTime();
                RunResult r = printer.attach(run).train();
                if (r.interrupted()) {
                    return printer.interrupted(r);
                }
                out.printf(Locale.ROOT, "done: %d steps in %.1f s; train accuracy %.4f", r.steps(),
                        (System.nanoTime() - start) / 1e9, r.metrics().get("train_accuracy"));
                if (r.metrics().containsKey("eval_accuracy")) {
                    out.printf(Locale.ROOT, ", eval accuracy %.4f, eval margin %.3f", r.metrics().get("eval_accuracy"),
                            r.metrics().get("eval_margin"));
                }
                out.printf(Locale.ROOT, "%nreward stats: mean %.4f, std %.4f over %d responses%nmodel: %s%n",
                        run.stats().mean(), run.stats().std(), run.stats().count(), r.modelDir());
                out.flush();
            }
            return 0;
        }
    }

    /** A subcommand that applies a trained reward model to a data file: eval and score. */
    abstract static class OnRewardModel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "reward model folder")
        Path model;

        @Mixin
        DataOptions read = new DataOptions();
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Accuracy, mean margin and a calibration table (accuracy by bins of |r_c - r_r|) on pairs.")
    static final class Eval extends OnRewardModel {
        @Option(names = "--bins", defaultValue = "5", description = "calibration bins of equal size (default: ${DEFAULT-VALUE})")
        int bins;

        @Option(names = "--json", description = "print one JSON object instead of a table")
        boolean json;

        @Override
        public Integer call() {
            if (bins < 1) {
                throw new UserInputException("--bins: must be >= 1, got " + bins);
            }
            LoadedDataset ds = read.load();
            if (ds.format().kind() != DataFormat.Kind.PREFERENCE) {
                throw new UserInputException(read.data + ": eval needs preference pairs, got "
                        + ds.format().name().toLowerCase(Locale.ROOT) + " records");
            }
            try (RewardBundle rm = RewardBundle.load(model, Devices.resolve(read.device))) {
                RewardMetrics.Scores sc = RewardMetrics.score(rm,
                        RewardTrainer.encode(rm, ds.as(PreferenceExample.class)), read.batchSize);
                Map<String, Double> m = RewardMetrics.of(sc.chosen(), sc.rejected(), null, 0, "");
                List<RewardMetrics.Bin> table = RewardMetrics.calibration(sc.chosen(), sc.rejected(), bins);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("model", model.toString());
                    o.put("data", read.data.toString());
                    o.put("pairs", sc.size());
                    o.putAll(m);
                    o.put("calibration", table);
                    out.println(Json.line(o));
                } else {
                    out.printf(Locale.ROOT, "%d pairs: accuracy %.4f, mean margin %.4f, loss %.4f%n", sc.size(),
                            m.get("accuracy"), m.get("margin"), m.get("loss"));
                    out.printf(Locale.ROOT, "chosen %.4f +- %.4f, rejected %.4f +- %.4f%n", m.get("chosen_mean"),
                            m.get("chosen_std"), m.get("rejected_mean"), m.get("rejected_std"));
                    out.println("|r_c - r_r|          pairs  accuracy");
                    for (RewardMetrics.Bin b : table) {
                        out.printf(Locale.ROOT, "%8.4f .. %-8.4f %6d  %8.4f%n", b.lo(), b.hi(), b.count(), b.accuracy());
                    }
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Copy JSONL records adding 'reward' (reward_chosen and reward_rejected for pairs).")
    static final class Score extends OnRewardModel {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL output")
        Path outFile;

        @Override
        public Integer call() {
            // the output and every record are checked before the model loads or anything is written
            Outputs.file("--out", outFile);
            LoadedDataset ds = read.load();
            List<ObjectNode> raw = new ArrayList<>();
            JsonRecords.read(read.data, r -> raw.add((ObjectNode) r.node()));
            if (raw.size() != ds.size()) {
                throw new IllegalStateException(raw.size() + " records read but " + ds.size() + " parsed");
            }
            List<List<Message>> prompts = new ArrayList<>();
            List<String> responses = new ArrayList<>();
            for (Example ex : ds.examples()) {
                if (ex instanceof PreferenceExample p) {
                    prompts.add(p.prompt());
                    responses.add(p.chosen());
                    prompts.add(p.prompt());
                    responses.add(p.rejected());
                } else if (ex instanceof UnpairedExample u) {
                    prompts.add(u.prompt());
                    responses.add(u.completion());
                } else if (ex instanceof SftExample s) {
                    prompts.add(s.prompt());
                    responses.add(lastReply(s));
                } else {
                    throw new UserInputException(ex.source() + ": record has a prompt but no response to score");
                }
            }
            int pairs = 0;
            try (RewardBundle rm = RewardBundle.load(model, Devices.resolve(read.device))) {
                float[] r = rm.scoreTexts(prompts, responses, read.batchSize);
                StringBuilder sb = new StringBuilder();
                int k = 0;
                for (int i = 0; i < raw.size(); i++) {
                    ObjectNode node = raw.get(i);
                    if (ds.examples().get(i) instanceof PreferenceExample) {
                        node.put("reward_chosen", r[k]);
                        node.put("reward_rejected", r[k + 1]);
                        k += 2;
                        pairs++;
                    } else {
                        node.put("reward", r[k++]);
                    }
                    sb.append(Json.line(node)).append('\n');
                }
                AtomicFiles.writeString(outFile, sb.toString());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "scored %d records (%d pairs) -> %s%n", ds.size(), pairs, outFile);
            out.flush();
            return 0;
        }

        private static String lastReply(SftExample s) {
            List<Message> m = s.messages();
            for (int i = m.size() - 1; i >= 0; i--) {
                if (m.get(i).role() == Role.ASSISTANT) {
                    return m.get(i).content();
                }
            }
            throw new UserInputException(s.source() + ": record has no assistant reply to score");
        }
    }
}
