package dev.align4j.pipelines.stage;

import dev.align4j.annotate.Exporter;
import dev.align4j.annotate.LabelSet;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The last step of both annotate stages: {@link Exporter}'s majority vote over the standing labels
 * (skips do not vote, split votes and, unless KTO, ties dropped), written atomically as the
 * preference JSONL {@code reward} and {@code dpo} stages read, as {@code align4j annotate export} does.
 */
final class LabelExport {

    /** The labels a stage used, in its folder. */
    static final String LABELS = "labels.jsonl";
    /** The exported training data, in its folder. */
    static final String DATA = "data.jsonl";

    private LabelExport() {
    }

    /** Exports {@code labels} to {@code out}; returns a line for people. No winner at all is bad input. */
    static String write(LabelSet labels, boolean ktoTies, Path out, String what) {
        Exporter.Result r = Exporter.export(labels, ktoTies);
        if (r.records().isEmpty()) {
            throw new UserInputException(what + ": no pair has a winning label to export (" + r.ties() + " ties, "
                    + r.split() + " split votes, " + r.skippedOnly() + " only skipped)");
        }
        StringBuilder sb = new StringBuilder();
        r.records().forEach(m -> sb.append(Json.line(m)).append('\n'));
        AtomicFiles.writeString(out, sb.toString());
        return String.format(Locale.ROOT, "%d %s records from %d labelled pairs (%d won, %d ties %s, %d split, "
                + "%d only skipped), mean agreement %.3f", r.records().size(), ktoTies ? "kto" : "preference",
                r.pairs(), r.won(), r.ties(), ktoTies ? "kept" : "dropped", r.split(), r.skippedOnly(),
                r.meanAgreement());
    }

    /** A config problem the pipeline puts on the key's line ({@code --set: key: what}). */
    static String bad(String key, String what) {
        return UserInputException.at("--set", 0, key, what).getMessage();
    }

    /** Every problem at once, one per line, so the pipeline reports each on its key's line. */
    static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new UserInputException(String.join("\n", problems));
        }
    }
}
