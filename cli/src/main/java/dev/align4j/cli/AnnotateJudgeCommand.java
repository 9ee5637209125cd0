package dev.align4j.cli;

import dev.align4j.annotate.JudgeRun;
import dev.align4j.annotate.JudgeSpec;
import dev.align4j.annotate.ModelJudges;
import dev.align4j.annotate.Pair;
import dev.align4j.annotate.PairFile;
import dev.align4j.annotate.PairJudge;
import dev.align4j.core.UserInputException;
import dev.align4j.core.train.Devices;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j annotate judge}: automatic labels in the human labels' format. */
@Command(name = "judge", mixinStandardHelpOptions = true,
        description = "Label pairs with a judge (RLAIF): the higher-scoring response wins, a score difference "
                + "below --margin is a tie. Writes labels JSONL with the judge as annotator.")
final class AnnotateJudgeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--judge", required = true, paramLabel = "SPEC", description = "reward-model:DIR, sentiment, "
            + "rule:longer, rule:shorter, rule:regex=PATTERN or rule:no-regex=PATTERN")
    String judge;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "pairs, as for annotate")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "labels JSONL (replaced)")
    Path out;

    @Option(names = "--skip-invalid", description = "skip bad pair records (empty or identical responses) and "
            + "count them, instead of stopping at the first")
    boolean skipInvalid;

    @Option(names = "--margin", defaultValue = "0", description = "tie when |score A - score B| < margin "
            + "(default: ${DEFAULT-VALUE}: tie only when equal)")
    double margin;

    @Option(names = "--lexicon", paramLabel = "FILE", description = "sentiment lexicon (default: the task's, else "
            + "the bundled copy)")
    Path lexicon;

    @Option(names = "--batch-size", defaultValue = "16", description = "reward-model sequences per forward pass "
            + "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() {
        JudgeSpec js = JudgeSpec.parse(judge);
        JudgeRun.Options o;
        try {
            o = new JudgeRun.Options(margin);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--margin: " + e.getMessage(), e);
        }
        if (batchSize < 1) {
            throw new UserInputException("--batch-size: must be at least 1, got " + batchSize);
        }
        if (Files.isDirectory(out)) {
            throw new UserInputException("--out " + out + ": is a folder; give a file name");
        }
        List<Pair> pairs = PairFile.read(in, skipInvalid);
        JudgeRun.Result r;
        try (PairJudge j = ModelJudges.open(js, Devices.resolve(device), lexicon, batchSize)) {
            r = JudgeRun.run(pairs, j, o, Clock.systemUTC());
        }
        JudgeRun.write(out, r.labels());
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "%s: %d pairs: %d A, %d B, %d ties (%.1f%%) -> %s%n", js.name(), pairs.size(), r.a(),
                r.b(), r.ties(), 100.0 * r.ties() / pairs.size(), out);
        pw.flush();
        return 0;
    }
}
