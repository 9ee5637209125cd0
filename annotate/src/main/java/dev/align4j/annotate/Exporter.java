package dev.align4j.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns labels into training data. Each pair's standing labels (one per annotator, skips left out)
 * vote; the winner is the choice with strictly the most votes, else the pair is split and dropped.
 * The agreement of a pair is the winner's share of its votes.
 * <ul>
 *   <li>default: preference records {@code {id, prompt, chosen, rejected, votes, agreement}} for
 *       pairs won by A or B, what {@code align4j reward train} and {@code align4j dpo} read; ties
 *       dropped;
 *   <li>{@code ktoTies}: KTO records {@code {id, prompt, completion, label, tie, votes, agreement}}
 *       for {@code align4j dpo} with {@code loss_type: kto}: a won pair gives its winner (label
 *       true) and its loser (false); a tie gives both responses with label true and {@code tie:
 *       true}, read as "both acceptable" (KTO has no way to say "equally good").
 * </ul>
 * Records come in the order the pairs were first labelled.
 */
public final class Exporter {

    /** What the export did: records, and how many pairs fell where. */
    public record Result(List<Map<String, Object>> records, int pairs, int won, int ties, int skippedOnly,
            int split, double meanAgreement) {
    }

    private Exporter() {
    }

    public static Result export(LabelSet set, boolean ktoTies) {
        List<Map<String, Object>> out = new ArrayList<>();
        int won = 0;
        int ties = 0;
        int skipped = 0;
        int split = 0;
        double agreeSum = 0;
        for (Map.Entry<String, LabelEntry> p : set.pairs().entrySet()) {
            int[] votes = new int[3];
            for (String a : set.annotators()) {
                set.label(a, p.getKey()).filter(e -> e.choice() != Choice.SKIP)
                        .ifPresent(e -> votes[LabelStats.CATEGORIES.indexOf(e.choice())]++);
            }
            int total = votes[0] + votes[1] + votes[2];
            if (total == 0) {
                skipped += set.annotators().stream().anyMatch(a -> set.label(a, p.getKey()).isPresent()) ? 1 : 0;
                continue;
            }
            int best = votes[0] >= votes[1] ? (votes[0] >= votes[2] ? 0 : 2) : (votes[1] >= votes[2] ? 1 : 2);
            int atBest = 0;
            for (int v : votes) {
                atBest += v == votes[best] ? 1 : 0;
            }
            if (atBest > 1) {
                split++;
                continue;
            }
            double agreement = (double) votes[best] / total;
            agreeSum += agreement;
            Choice winner = LabelStats.CATEGORIES.get(best);
            LabelEntry text = p.getValue();
            if (winner == Choice.TIE) {
                ties++;
                if (ktoTies) {
                    out.add(kto(p.getKey(), text.prompt(), text.a(), true, true, total, agreement));
                    out.add(kto(p.getKey(), text.prompt(), text.b(), true, true, total, agreement));
                }
                continue;
            }
            won++;
            String chosen = winner == Choice.A ? text.a() : text.b();
            String rejected = winner == Choice.A ? text.b() : text.a();
            if (ktoTies) {
                out.add(kto(p.getKey(), text.prompt(), chosen, true, false, total, agreement));
                out.add(kto(p.getKey(), text.prompt(), rejected, false, false, total, agreement));
            } else {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", p.getKey());
                r.put("prompt", text.prompt());
                r.put("chosen", chosen);
                r.put("rejected", rejected);
                r.put("votes", total);
                r.put("agreement", agreement);
                out.add(r);
            }
        }
        int counted = won + ties;
        return new Result(out, set.pairs().size(), won, ties, skipped, split, counted == 0 ? 0 : agreeSum / counted);
    }

    private static Map<String, Object> kto(String id, JsonNode prompt, String completion, boolean label, boolean tie,
            int votes, double agreement) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("prompt", prompt);
        r.put("completion", completion);
        r.put("label", label);
        r.put("tie", tie);
        r.put("votes", votes);
        r.put("agreement", agreement);
        return r;
    }
}
