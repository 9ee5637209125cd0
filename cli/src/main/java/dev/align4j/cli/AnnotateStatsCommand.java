package dev.align4j.cli;

import dev.align4j.annotate.LabelFiles;
import dev.align4j.annotate.LabelStats;
import dev.align4j.core.io.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code align4j annotate stats}: counts, speed, position bias and agreement of labels files. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Per annotator: labels, tie and skip rates, labels/min, position bias (share of left picks, "
                + "two-sided binomial test). Between annotators on shared pairs: Cohen's kappa per two "
                + "(human-human and human-judge), Fleiss' kappa and Krippendorff's alpha (nominal) for all.")
final class AnnotateStatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "LABELS", description = "labels files")
    List<Path> labels;

    @Option(names = "--json", description = "print one JSON object instead of tables")
    boolean json;

    @Override
    public Integer call() {
        LabelStats.Report r = LabelStats.of(LabelFiles.read(labels));
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            pw.print(Json.pretty(r));
        } else {
            table(r, pw);
        }
        pw.flush();
        return 0;
    }

    private static void table(LabelStats.Report r, PrintWriter pw) {
        pw.printf(Locale.ROOT, "%d pairs labelled%n%n", r.pairs());
        pw.printf(Locale.ROOT, "%-24s %-5s %6s %5s %5s %5s %5s %6s %6s %8s %5s %5s %9s %8s%n", "annotator", "kind",
                "labels", "a", "b", "tie", "skip", "tie%", "skip%", "per_min", "undo", "notes", "left%", "p(left)");
        for (LabelStats.AnnotatorRow a : r.annotators()) {
            pw.printf(Locale.ROOT, "%-24s %-5s %6d %5d %5d %5d %5d %6.1f %6.1f %8s %5d %5d %9s %8s%n",
                    a.annotator(), a.kind().name().toLowerCase(Locale.ROOT), a.labels(), a.a(), a.b(), a.ties(),
                    a.skips(), 100 * a.tieRate(), 100 * a.skipRate(), num(a.labelsPerMinute(), "%.1f"),
                    a.retractions(), a.notes(), a.leftShare() == null ? "-"
                            : String.format(Locale.ROOT, "%.1f/%d", 100 * a.leftShare(), a.positionDecided()),
                    num(a.positionP(), "%.3f"));
        }
        if (!r.pairwise().isEmpty()) {
            pw.printf(Locale.ROOT, "%nagreement on shared pairs (a/b/tie; skips left out)%n");
            pw.printf(Locale.ROOT, "%-24s %-24s %-12s %6s %8s %8s%n", "first", "second", "kinds", "shared", "agree%",
                    "kappa");
            for (LabelStats.PairwiseRow p : r.pairwise()) {
                pw.printf(Locale.ROOT, "%-24s %-24s %-12s %6d %8s %8s%n", p.first(), p.second(), p.kinds(), p.shared(),
                        p.observed() == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * p.observed()),
                        num(p.kappa(), "%.3f"));
            }
        }
        if (r.group() != null) {
            LabelStats.GroupRow g = r.group();
            pw.printf(Locale.ROOT, "%nall %d annotators: Fleiss' kappa %s over %d pairs labelled by all; "
                    + "Krippendorff's alpha (nominal) %s over %d pairs with 2+ labels%n", g.annotators(),
                    num(g.fleissKappa(), "%.3f"), g.sharedByAll(), num(g.krippendorffAlpha(), "%.3f"), g.units());
        }
    }

    private static String num(Double v, String fmt) {
        return v == null ? "-" : String.format(Locale.ROOT, fmt, v);
    }
}
