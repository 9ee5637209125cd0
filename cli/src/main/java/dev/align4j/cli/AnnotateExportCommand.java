package dev.align4j.cli;

import dev.align4j.annotate.Exporter;
import dev.align4j.annotate.LabelFiles;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code align4j annotate export}: labels to the preference data reward training and DPO read. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Majority vote over annotators per pair; writes {id, prompt, chosen, rejected, votes, "
                + "agreement} JSONL for 'reward train' and 'dpo'. Ties, skips and split votes are dropped.")
final class AnnotateExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "LABELS", description = "labels files")
    List<Path> labels;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "training data JSONL (replaced)")
    Path out;

    @Option(names = "--keep-ties-as-kto", description = "write KTO records {prompt, completion, label, tie} "
            + "instead (for dpo with loss_type: kto): winner true, loser false, both responses of a tie true")
    boolean kto;

    @Override
    public Integer call() {
        if (Files.isDirectory(out)) {
            throw new UserInputException("--out " + out + ": is a folder; give a file name");
        }
        for (Path l : labels) {
            if (Files.exists(out) && Files.exists(l) && out.toAbsolutePath().normalize()
                    .equals(l.toAbsolutePath().normalize())) {
                throw new UserInputException("--out " + out + ": is one of the labels files");
            }
        }
        Exporter.Result r = Exporter.export(LabelFiles.read(labels), kto);
        if (r.records().isEmpty()) {
            throw new UserInputException(labels + ": no pair has a winning label to export (" + r.ties() + " ties, "
                    + r.split() + " split votes, " + r.skippedOnly() + " only skipped)");
        }
        StringBuilder sb = new StringBuilder();
        r.records().forEach(m -> sb.append(Json.line(m)).append('\n'));
        AtomicFiles.writeString(out, sb.toString());
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "%d records (%s) from %d labelled pairs: %d won, %d ties %s, %d split votes and %d "
                + "only skipped dropped; mean agreement %.3f -> %s%n", r.records().size(), kto ? "kto" : "preference",
                r.pairs(), r.won(), r.ties(), kto ? "kept" : "dropped", r.split(), r.skippedOnly(), r.meanAgreement(),
                out);
        pw.flush();
        return 0;
    }
}
