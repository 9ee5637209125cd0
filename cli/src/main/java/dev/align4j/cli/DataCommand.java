package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.core.tokenizer.Tokenizers;
import dev.align4j.datasets.arithmetic.ArithmeticSynth;
import dev.align4j.datasets.format.ColumnMapping;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.inspect.DatasetInspector;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentSynth;
import dev.align4j.datasets.template.ChatTemplate;
import dev.align4j.datasets.template.Templates;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code align4j data}: look at, check and generate data files. Bad input throws
 * {@link UserInputException}, which Main turns into exit code 2.
 */
@Command(name = "data", description = "Inspect, validate and generate data sets.", mixinStandardHelpOptions = true,
        subcommands = {DataCommand.Inspect.class, DataCommand.Validate.class, DataCommand.Synth.class, PairsCommand.class})
public final class DataCommand {

    /** Options shared by the commands that read a data file. */
    static final class ReadOptions {
        @Parameters(index = "0", paramLabel = "FILE", description = "JSON array or JSON Lines, optionally .gz")
        Path file;

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "alpaca, sharegpt, openai, completion, text, preference, hh_rlhf, kto, prompts (default: detected)")
        String format;

        @Option(names = "--map", paramLabel = "CANONICAL=FIELD", description = "read a field under another name, e.g. instruction=question")
        List<String> map = new ArrayList<>();

        LoadOptions loadOptions(boolean skipInvalid) {
            DataFormat f = format == null ? null : DataFormat.parse(format).orElseThrow(() -> new UserInputException(
                    "--format: unknown format '" + format + "' (one of " + List.of(DataFormat.values()).toString()
                            .toLowerCase(Locale.ROOT) + ")"));
            return new LoadOptions(f, ColumnMapping.parse(map), skipInvalid, false);
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Counts, detected format, token length percentiles, truncation at the cutoff, two rendered examples.")
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read = new ReadOptions();

        @Option(names = "--template", paramLabel = "NAME|FILE", description = "alpaca, chatml, llama3, plain or a template file (default: by format)")
        String template;

        @Option(names = "--tokenizer", paramLabel = "DIR", description = "tokenizer folder (default: the byte tokenizer)")
        Path tokenizer;

        @Option(names = "--cutoff-len", defaultValue = "512", description = "sequence length to report truncation at (default: ${DEFAULT-VALUE})")
        int cutoffLen;

        @Option(names = "--strict", description = "stop at the first invalid record instead of skipping and counting it")
        boolean strict;

        @Override
        public Integer call() {
            if (cutoffLen < 2) {
                throw new UserInputException("--cutoff-len: must be at least 2, got " + cutoffLen);
            }
            Tokenizer tok = tokenizer == null ? new ByteTokenizer() : Tokenizers.load(tokenizer);
            ChatTemplate tpl = template == null ? null : Templates.resolve(template);
            LoadedDataset data = DatasetLoader.load(read.file, read.loadOptions(!strict));
            if (data.size() == 0) {
                throw new UserInputException(read.file + ": no valid record among " + data.skipped() + "; the first: "
                        + data.firstProblems().get(0));
            }
            if (tpl == null) {
                tpl = Templates.defaultFor(data.format());
            }
            String tokName = tokenizer == null ? "byte (built in)" : tokenizer + " (vocab " + tok.vocabSize() + ")";
            PrintWriter out = spec.commandLine().getOut();
            out.print(DatasetInspector.inspect(data, tok, tokName, tpl, cutoffLen).toText());
            if (!data.firstProblems().isEmpty()) {
                out.println();
                out.println("first skipped records:");
                data.firstProblems().forEach(p -> out.println("  " + p));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Reads every record and lists every invalid one (file:line: field: what is wrong), "
                    + "the first --show of them, with the count; exit 2 when any is invalid.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read = new ReadOptions();

        @Option(names = "--show", defaultValue = "50", paramLabel = "N",
                description = "invalid records listed (default: ${DEFAULT-VALUE}); all are counted")
        int show;

        @Override
        public Integer call() {
            if (show < 1) {
                throw new UserInputException("--show: must be at least 1, got " + show);
            }
            DatasetLoader.Validation v = DatasetLoader.validate(read.file, read.loadOptions(false), show);
            String format = v.format() == null ? "unknown" : v.format().name().toLowerCase(Locale.ROOT);
            if (v.invalid() == 0) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf(Locale.ROOT, "%s: ok, %d records, format %s%n", read.file, v.valid(), format);
                out.flush();
                return 0;
            }
            PrintWriter err = spec.commandLine().getErr();
            v.shown().forEach(err::println);
            if (v.invalid() > v.shown().size()) {
                err.printf(Locale.ROOT, "... and %d more%n", v.invalid() - v.shown().size());
            }
            err.printf(Locale.ROOT, "%s: %d invalid of %d records%s, format %s%n", read.file, v.invalid(),
                    v.valid() + v.invalid(), v.complete() ? "" : " read before reading stopped", format);
            err.flush();
            return Main.BAD_INPUT;
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true, description = "Generate task data.",
            subcommands = {SynthSentiment.class, SynthArithmetic.class})
    static final class Synth {
    }

    @Command(name = "sentiment", mixinStandardHelpOptions = true,
            description = "The sentiment task: corpus.txt, sft.jsonl, prompts_train.jsonl, prompts_eval.jsonl, README.md.")
    static final class SynthSentiment implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
        Path out;

        @Option(names = "--n", defaultValue = "20000", description = "corpus sentences (default: ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--train-prompts", defaultValue = "2048", description = "PPO prompts (default: ${DEFAULT-VALUE})")
        int trainPrompts;

        @Option(names = "--eval-prompts", defaultValue = "256", description = "held-out prompts (default: ${DEFAULT-VALUE})")
        int evalPrompts;

        @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--lexicon", paramLabel = "FILE",
                description = "lexicon JSON (default: ../shared/tasks/sentiment/lexicon.json if present, else the bundled copy)")
        Path lexicon;

        @Override
        public Integer call() {
            // validate everything before writing anything
            Outputs.folder("--out", out);
            ConfigOptions.atLeast("--n", n, 2);
            ConfigOptions.atLeast("--train-prompts", trainPrompts, 1);
            ConfigOptions.atLeast("--eval-prompts", evalPrompts, 1);
            SentimentSynth.Options o = new SentimentSynth.Options(n, trainPrompts, evalPrompts, seed);
            Lexicon lex = Lexicon.resolve(lexicon);
            SentimentSynth.Written w = SentimentSynth.write(out, lex, o);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "wrote %s: %d sentences (mean true score %.3f), %d train prompts, %d eval prompts%n",
                    w.dir(), w.sentences(), w.meanScore(), w.trainPrompts(), w.evalPrompts());
            pw.flush();
            return 0;
        }
    }

    @Command(name = "arithmetic", mixinStandardHelpOptions = true,
            description = "The arithmetic task (a+b= / a-b=, exact-match answers): corpus.txt, sft.jsonl, "
                    + "prompts_train.jsonl, prompts_eval.jsonl, README.md; sets disjoint.")
    static final class SynthArithmetic implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "output folder (refused when it already holds one of the task files)")
        Path out;

        @Option(names = "--n", defaultValue = "5000", description = "SFT examples (default: ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--train-prompts", defaultValue = "2048", description = "rollout prompts (default: ${DEFAULT-VALUE})")
        int trainPrompts;

        @Option(names = "--eval-prompts", defaultValue = "256", description = "held-out prompts (default: ${DEFAULT-VALUE})")
        int evalPrompts;

        @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--max-digits", defaultValue = "2", description = "longest operand, 1..3 (default: ${DEFAULT-VALUE})")
        int maxDigits;

        @Option(names = "--ops", defaultValue = "+-", description = "operators, + and/or - (default: ${DEFAULT-VALUE})")
        String ops;

        @Override
        public Integer call() {
            Outputs.folder("--out", out);
            ConfigOptions.atLeast("--n", n, 1);
            ConfigOptions.atLeast("--train-prompts", trainPrompts, 1);
            ConfigOptions.atLeast("--eval-prompts", evalPrompts, 1);
            ArithmeticSynth.Options o = new ArithmeticSynth.Options(n, trainPrompts, evalPrompts, seed, maxDigits, ops);
            ArithmeticSynth.Written w = ArithmeticSynth.write(out, o);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "wrote %s: %d SFT examples, %d train prompts, %d eval prompts (of %d distinct problems)%n",
                    w.dir(), w.sft(), w.trainPrompts(), w.evalPrompts(), w.distinctProblems());
            pw.flush();
            return 0;
        }
    }
}
