package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Devices;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.PairMaker;
import dev.align4j.datasets.sentiment.SentimentJudge;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j data pairs}: make preference pairs by sampling a model and labelling with a judge. */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = "Make preference pairs: sample two completions per prompt, label them with a judge.",
        subcommands = {PairsCommand.Sentiment.class})
public final class PairsCommand {

    @Command(name = "sentiment", mixinStandardHelpOptions = true,
            description = "Pairs for the sentiment task, labelled by the exact judge (ties dropped and counted); "
                    + "writes {prompt, chosen, rejected, margin, score_chosen, score_rejected} JSONL.")
    static final class Sentiment implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "the SFT model that samples")
        Path model;

        @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "{prompt} records (prompts_train.jsonl)")
        Path prompts;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL of pairs")
        Path out;

        @Option(names = "--n-pairs", defaultValue = "0",
                description = "pairs wanted; 0: one attempt per prompt (default: ${DEFAULT-VALUE}). About 44%% of "
                        + "attempts tie, so give about twice as many prompts as pairs")
        int nPairs;

        @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--temperature", defaultValue = "1.0", description = "(default: ${DEFAULT-VALUE})")
        double temperature;

        @Option(names = "--max-new-tokens", defaultValue = "20", description = "(default: ${DEFAULT-VALUE})")
        int maxNewTokens;

        @Option(names = "--batch-size", defaultValue = "64", description = "prompts per generation batch (default: ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = "--lexicon", paramLabel = "FILE", description = "lexicon JSON (default: the task's, else the bundled copy)")
        Path lexicon;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
        String device;

        @Override
        public Integer call() {
            Outputs.file("--out", out);
            ConfigOptions.atLeast("--n-pairs", nPairs, 0);
            ConfigOptions.atLeast("--batch-size", batchSize, 1);
            ConfigOptions.atLeast("--max-new-tokens", maxNewTokens, 1);
            PairMaker.Options o;
            try {
                o = new PairMaker.Options(nPairs, seed, temperature, maxNewTokens, batchSize, 10);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
            if (!Files.isRegularFile(prompts)) {
                throw new UserInputException(prompts + ": prompts file not found");
            }
            List<String> texts = PairMaker.promptTexts(prompts);
            SentimentJudge judge = new SentimentJudge(Lexicon.resolve(lexicon));
            long start = System.nanoTime();
            PairMaker.Result r;
            try (ModelBundle bundle = ModelBundle.load(model, Devices.resolve(device), null)) {
                r = new PairMaker(bundle, judge).make(texts, o);
            }
            StringBuilder sb = new StringBuilder();
            r.pairs().forEach(p -> sb.append(Json.line(p.toRecord())).append('\n'));
            AtomicFiles.writeString(out, sb.toString());
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "%d pairs from %d attempts (%d ties, %.1f%%; %d with an empty completion) in %.1f s -> %s%n",
                    r.pairs().size(), r.attempts(), r.ties(), 100 * r.tieRate(), r.empty(), (System.nanoTime() - start) / 1e9, out);
            pw.flush();
            return 0;
        }
    }
}
