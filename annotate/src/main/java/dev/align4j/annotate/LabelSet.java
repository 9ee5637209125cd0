package dev.align4j.annotate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The standing labels after replaying label and retract entries in file order: for each annotator
 * and pair the latest label not retracted. A retraction withdraws the annotator's latest standing
 * label of that pair; several labels of one pair stack, so two undos walk back two of them.
 */
public final class LabelSet {

    /** One annotator's standing labels: by pair, and all of them in the order they were made. */
    private static final class Annotator {
        final LabelEntry.Kind kind;
        final Map<String, Deque<LabelEntry>> byPair = new LinkedHashMap<>();
        final List<LabelEntry> order = new ArrayList<>();
        int retractions;

        Annotator(LabelEntry.Kind kind) {
            this.kind = kind;
        }
    }

    private final Map<String, Annotator> annotators = new LinkedHashMap<>();
    /** Every pair's text (from its first label), in order of first appearance. */
    private final Map<String, LabelEntry> pairs = new LinkedHashMap<>();

    public static LabelSet of(List<LabelEntry> entries) {
        LabelSet s = new LabelSet();
        entries.forEach(s::add);
        return s;
    }

    /** Applies one entry. */
    public void add(LabelEntry e) {
        Annotator a = annotators.computeIfAbsent(e.annotator(), k -> new Annotator(e.kind()));
        if (e.type() == LabelEntry.Type.LABEL) {
            a.byPair.computeIfAbsent(e.pairId(), k -> new ArrayDeque<>()).push(e);
            a.order.add(e);
            pairs.putIfAbsent(e.pairId(), e);
            return;
        }
        Deque<LabelEntry> stack = a.byPair.get(e.pairId());
        if (stack == null || stack.isEmpty()) {
            return; // nothing standing to withdraw: a retraction written twice is harmless
        }
        LabelEntry gone = stack.pop();
        a.order.remove(a.order.lastIndexOf(gone));
        a.retractions++;
        if (stack.isEmpty()) {
            a.byPair.remove(e.pairId());
        }
    }

    /** Annotator names in order of first appearance. */
    public List<String> annotators() {
        return List.copyOf(annotators.keySet());
    }

    public LabelEntry.Kind kind(String annotator) {
        return annotators.get(annotator).kind;
    }

    /** The standing label of {@code pairId} by {@code annotator}, if any. */
    public Optional<LabelEntry> label(String annotator, String pairId) {
        Annotator a = annotators.get(annotator);
        Deque<LabelEntry> d = a == null ? null : a.byPair.get(pairId);
        return d == null || d.isEmpty() ? Optional.empty() : Optional.of(d.peek());
    }

    /** Every standing label of {@code annotator}, one per pair, in the order they were made. */
    public List<LabelEntry> labels(String annotator) {
        Annotator a = annotators.get(annotator);
        if (a == null) {
            return List.of();
        }
        Map<String, LabelEntry> latest = new LinkedHashMap<>();
        for (LabelEntry e : a.order) {
            latest.remove(e.pairId());
            latest.put(e.pairId(), e);
        }
        return List.copyOf(latest.values());
    }

    /** The label an undo withdraws: the annotator's most recent standing one. */
    public Optional<LabelEntry> last(String annotator) {
        Annotator a = annotators.get(annotator);
        return a == null || a.order.isEmpty() ? Optional.empty() : Optional.of(a.order.get(a.order.size() - 1));
    }

    public int retractions(String annotator) {
        Annotator a = annotators.get(annotator);
        return a == null ? 0 : a.retractions;
    }

    /** Pair ids in order of first label, each with the text of that label. */
    public Map<String, LabelEntry> pairs() {
        return java.util.Collections.unmodifiableMap(pairs);
    }
}
