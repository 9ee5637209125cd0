package dev.align4j.cli;

import dev.align4j.annotate.Console;
import dev.align4j.annotate.LabelEntry;
import dev.align4j.annotate.LabelLog;
import dev.align4j.annotate.LabelSet;
import dev.align4j.annotate.LineConsole;
import dev.align4j.annotate.Pair;
import dev.align4j.annotate.PairFile;
import dev.align4j.annotate.Session;
import dev.align4j.annotate.TerminalConsole;
import dev.align4j.core.UserInputException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j annotate}: label preference pairs by hand in the terminal (this command), or
 * make pairs, label them with a judge, measure agreement and export training data (subcommands).
 */
@Command(name = "annotate", mixinStandardHelpOptions = true,
        description = {"Label preference pairs in the terminal: 1/a or 2/b prefer a side, t tie, s skip, u undo, "
                + "n note, ? help, q quit. Every label is on disk before the next pair shows; a rerun resumes.",
                "Without a terminal (stdin or stdout redirected) it reads one key per line."},
        subcommands = {AnnotateGenerateCommand.class, AnnotateJudgeCommand.class, AnnotateStatsCommand.class,
                AnnotateExportCommand.class})
public final class AnnotateCommand implements Callable<Integer> {

    private static final Logger LOG = LogManager.getLogger(AnnotateCommand.class);
    /** Columns of the plain-line screens when there is no terminal. */
    private static final int LINE_WIDTH = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--in", paramLabel = "FILE", description = "pairs: {id?, prompt, responses: [a, b]} or any "
            + "preference file (chosen/rejected become A/B)")
    Path in;

    @Option(names = "--out", paramLabel = "FILE", description = "labels JSONL, appended to; rerun with it to resume")
    Path out;

    @Option(names = "--annotator", paramLabel = "NAME", description = "your name, written into every label")
    String annotator;

    @Option(names = "--seed", paramLabel = "N",
            description = "seed of the left/right order (default: the one in --out for this annotator, else 0)")
    Long seed;

    @Option(names = "--skip-invalid", description = "skip bad pair records (empty or identical responses) and "
            + "count them, instead of stopping at the first")
    boolean skipInvalid;

    /** Where keys come from without a terminal (tests replace it). */
    InputStream input = System.in;
    /** Null: decide from System.console(); tests force the line console. */
    Boolean terminal;

    @Override
    public Integer call() {
        if (in == null || out == null || annotator == null) {
            throw new UserInputException("annotate needs --in FILE --out FILE --annotator NAME (or a subcommand: "
                    + "generate, judge, stats, export; see 'align4j annotate --help')");
        }
        if (annotator.isBlank()) {
            throw new UserInputException("--annotator: must be a non-empty name");
        }
        if (Files.isDirectory(out)) {
            throw new UserInputException("--out " + out + ": is a folder; give a file name");
        }
        if (!Files.isRegularFile(in)) {
            throw new UserInputException("--in " + in + ": no such file");
        }
        List<Pair> pairs = PairFile.read(in, skipInvalid);
        LabelLog.Contents contents = LabelLog.read(out);
        LabelSet state = LabelSet.of(contents.entries());
        long s = resolveSeed(contents.entries());
        warnForeign(pairs, state);
        Session.Summary sum;
        try (LabelLog.Writer log = LabelLog.openForAppend(out, contents); Console console = console()) {
            sum = new Session(pairs, state, log, console, new Session.Options(annotator, s), Clock.systemUTC()).run();
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("%s: %d of %d pairs labelled (%d labels and %d undos this session, seed %d) -> %s%s%n", annotator,
                sum.labelled(), sum.total(), sum.written(), sum.retracted(), s, out,
                sum.finished() ? "" : "; rerun the same command to resume");
        pw.flush();
        return 0;
    }

    /** The seed recorded for this annotator wins; a different --seed would reorder pairs mid-way. */
    private long resolveSeed(List<LabelEntry> entries) {
        Long recorded = entries.stream().filter(e -> e.annotator().equals(annotator) && e.seed() != null)
                .map(LabelEntry::seed).reduce((x, y) -> y).orElse(null);
        if (recorded != null && seed != null && !recorded.equals(seed)) {
            throw new UserInputException("--seed " + seed + ": " + out + " has labels by " + annotator + " made with "
                    + "seed " + recorded + "; keep it (leave --seed out) or write to another file");
        }
        return recorded != null ? recorded : seed != null ? seed : 0;
    }

    private void warnForeign(List<Pair> pairs, LabelSet state) {
        Set<String> ids = new HashSet<>();
        pairs.forEach(p -> ids.add(p.id()));
        long foreign = state.labels(annotator).stream().filter(e -> !ids.contains(e.pairId())).count();
        if (foreign > 0) {
            LOG.warn("{}: {} labels by {} are for pairs that are not in {}", out, foreign, annotator, in);
        }
    }

    private Console console() {
        boolean tty = terminal != null ? terminal : System.console() != null;
        if (tty) {
            return TerminalConsole.system();
        }
        return new LineConsole(new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)),
                spec.commandLine().getOut(), LINE_WIDTH);
    }
}
