package dev.align4j.annotate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.inference.AlternativeHypothesis;
import org.apache.commons.math3.stat.inference.BinomialTest;

/**
 * What a set of labels says: per annotator the counts, tie and skip rates, speed and position
 * bias; between annotators the agreement on the pairs they share. Agreement uses the categories
 * a, b and tie; skips are not opinions and are left out. Undefined statistics are null.
 */
public final class LabelStats {

    static final List<Choice> CATEGORIES = List.of(Choice.A, Choice.B, Choice.TIE);

    /**
     * One annotator.
     *
     * @param labelsPerMinute labels per minute of time spent on pairs (sum of elapsed_ms); null for judges
     * @param positionDecided human a/b labels with a known left side
     * @param leftShare share of those that picked the left response
     * @param positionP two-sided binomial test p-value of leftShare against 0.5
     */
    public record AnnotatorRow(String annotator, LabelEntry.Kind kind, int labels, int a, int b, int ties, int skips,
            double tieRate, double skipRate, Double labelsPerMinute, int retractions, int notes, int positionDecided,
            int leftPicks, Double leftShare, Double positionP) {
    }

    /** Two annotators on the pairs both labelled (skips left out). */
    public record PairwiseRow(String first, String second, String kinds, int shared, Double observed, Double kappa) {
    }

    /**
     * All annotators together.
     *
     * @param sharedByAll pairs every annotator labelled (Fleiss' kappa is over these)
     * @param units pairs with at least two labels (Krippendorff's alpha is over these)
     */
    public record GroupRow(int annotators, int sharedByAll, Double fleissKappa, int units, Double krippendorffAlpha) {
    }

    public record Report(int pairs, List<AnnotatorRow> annotators, List<PairwiseRow> pairwise, GroupRow group) {
    }

    private LabelStats() {
    }

    public static Report of(LabelSet set) {
        List<AnnotatorRow> rows = new ArrayList<>();
        for (String a : set.annotators()) {
            rows.add(annotator(set, a));
        }
        List<String> names = set.annotators();
        List<PairwiseRow> pairwise = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                pairwise.add(pairwise(set, names.get(i), names.get(j)));
            }
        }
        return new Report(set.pairs().size(), rows, pairwise, names.size() < 2 ? null : group(set));
    }

    private static AnnotatorRow annotator(LabelSet set, String name) {
        int[] counts = new int[Choice.values().length];
        long elapsed = 0;
        int timed = 0;
        int notes = 0;
        int decided = 0;
        int left = 0;
        List<LabelEntry> labels = set.labels(name);
        for (LabelEntry e : labels) {
            counts[e.choice().ordinal()]++;
            if (e.elapsedMs() != null) {
                elapsed += e.elapsedMs();
                timed++;
            }
            notes += e.note() != null ? 1 : 0;
            if (e.left() != null && e.choice().decided()) {
                decided++;
                left += e.pickedLeft() ? 1 : 0;
            }
        }
        int n = labels.size();
        Double perMin = timed == 0 || elapsed == 0 ? null : timed / (elapsed / 60000.0);
        Double share = decided == 0 ? null : (double) left / decided;
        Double p = decided == 0 ? null
                : new BinomialTest().binomialTest(decided, left, 0.5, AlternativeHypothesis.TWO_SIDED);
        return new AnnotatorRow(name, set.kind(name), n, counts[0], counts[1], counts[2], counts[3],
                n == 0 ? 0 : (double) counts[2] / n, n == 0 ? 0 : (double) counts[3] / n, perMin,
                set.retractions(name), notes, decided, left, share, p);
    }

    /** Category codes 0..2 of an annotator's non-skip labels, by pair id. */
    private static Map<String, Integer> codes(LabelSet set, String name) {
        Map<String, Integer> out = new HashMap<>();
        for (LabelEntry e : set.labels(name)) {
            if (e.choice() != Choice.SKIP) {
                out.put(e.pairId(), CATEGORIES.indexOf(e.choice()));
            }
        }
        return out;
    }

    private static PairwiseRow pairwise(LabelSet set, String x, String y) {
        Map<String, Integer> cx = codes(set, x);
        Map<String, Integer> cy = codes(set, y);
        List<int[]> both = new ArrayList<>();
        for (String id : set.pairs().keySet()) {
            if (cx.containsKey(id) && cy.containsKey(id)) {
                both.add(new int[] {cx.get(id), cy.get(id)});
            }
        }
        String kinds = set.kind(x).name().toLowerCase() + "-" + set.kind(y).name().toLowerCase();
        if (both.isEmpty()) {
            return new PairwiseRow(x, y, kinds, 0, null, null);
        }
        int[] r1 = both.stream().mapToInt(v -> v[0]).toArray();
        int[] r2 = both.stream().mapToInt(v -> v[1]).toArray();
        return new PairwiseRow(x, y, kinds, both.size(), Agreement.observed(r1, r2),
                finite(Agreement.cohenKappa(r1, r2, CATEGORIES.size())));
    }

    private static GroupRow group(LabelSet set) {
        List<Map<String, Integer>> all = set.annotators().stream().map(a -> codes(set, a)).toList();
        List<int[]> fleiss = new ArrayList<>();
        List<int[]> units = new ArrayList<>();
        for (String id : set.pairs().keySet()) {
            int[] row = new int[CATEGORIES.size()];
            List<Integer> values = new ArrayList<>();
            for (Map<String, Integer> c : all) {
                Integer v = c.get(id);
                if (v != null) {
                    row[v]++;
                    values.add(v);
                }
            }
            if (values.size() == all.size()) {
                fleiss.add(row);
            }
            if (values.size() >= 2) {
                units.add(values.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        Double fk = fleiss.isEmpty() ? null : finite(Agreement.fleissKappa(fleiss.toArray(new int[0][])));
        Double alpha = units.isEmpty() ? null : finite(Agreement.krippendorffAlpha(units, CATEGORIES.size()));
        return new GroupRow(all.size(), fleiss.size(), fk, units.size(), alpha);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
