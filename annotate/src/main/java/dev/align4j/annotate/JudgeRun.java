package dev.align4j.annotate;

import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Automatic labels (RLAIF): a {@link PairJudge} scores both responses of every pair, the higher
 * score wins, and a difference below the margin is a tie. The labels have the human labels'
 * format with the judge as annotator (kind {@code judge}) and both scores, so {@link LabelStats}
 * compares them with people and {@link Exporter} trains on them. The pipeline stage
 * {@code annotate-judge} calls {@link #run} and {@link #write}.
 */
public final class JudgeRun {

    /**
     * @param margin a pair is a tie when {@code |score_a - score_b| < margin}, or when equal; >= 0
     */
    public record Options(double margin) {
        public Options {
            if (!(margin >= 0) || Double.isInfinite(margin)) {
                throw new IllegalArgumentException("margin must be a finite number >= 0, got " + margin);
            }
        }
    }

    /** The labels and how they fell. */
    public record Result(List<LabelEntry> labels, int a, int b, int ties) {
    }

    private JudgeRun() {
    }

    /** Labels every pair with {@code judge}. */
    public static Result run(List<Pair> pairs, PairJudge judge, Options options, Clock clock) {
        double[][] s = judge.score(pairs);
        List<LabelEntry> out = new ArrayList<>(pairs.size());
        int a = 0;
        int b = 0;
        String time = Instant.ofEpochMilli(clock.millis()).toString();
        for (int i = 0; i < pairs.size(); i++) {
            Choice c = choice(s[i][0], s[i][1], options.margin());
            a += c == Choice.A ? 1 : 0;
            b += c == Choice.B ? 1 : 0;
            out.add(LabelEntry.judged(pairs.get(i), judge.name(), c, s[i][0], s[i][1], time));
        }
        return new Result(out, a, b, pairs.size() - a - b);
    }

    /** A if A scores higher by at least the margin, B likewise, else a tie. */
    public static Choice choice(double scoreA, double scoreB, double margin) {
        double d = scoreA - scoreB;
        if (d == 0 || Math.abs(d) < margin) {
            return Choice.TIE;
        }
        return d > 0 ? Choice.A : Choice.B;
    }

    /** Writes the labels as JSONL, atomically. */
    public static void write(Path out, List<LabelEntry> labels) {
        StringBuilder sb = new StringBuilder();
        labels.forEach(e -> sb.append(Json.line(e)).append('\n'));
        AtomicFiles.writeString(out, sb.toString());
    }
}
