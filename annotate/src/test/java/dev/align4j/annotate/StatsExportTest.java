package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.align4j.datasets.format.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsExportTest {

    private static Pair pair(String id) {
        return new Pair(id, List.of(Message.user("prompt " + id)), "A of " + id, "B of " + id, null);
    }

    private static LabelEntry human(String who, String id, Choice c, Response left) {
        return LabelEntry.human(pair(id), who, c, left, 1, null, "t", 3000);
    }

    private static LabelEntry judge(String id, Choice c) {
        return LabelEntry.judged(pair(id), "rule:longer", c, 1, 0, "t");
    }

    @Test
    void positionBiasIsTheShareOfLeftPicksWithABinomialTest() {
        List<LabelEntry> e = new ArrayList<>();
        // 10 decided labels, 9 of them the left response; plus a tie and a skip that do not count
        for (int i = 0; i < 10; i++) {
            Response left = i % 2 == 0 ? Response.A : Response.B;
            e.add(human("h", "q" + i, i == 9 ? left.other().choice() : left.choice(), left));
        }
        e.add(human("h", "q10", Choice.TIE, Response.A));
        e.add(human("h", "q11", Choice.SKIP, Response.A));
        LabelStats.AnnotatorRow r = LabelStats.of(LabelSet.of(e)).annotators().get(0);
        assertThat(r.labels()).isEqualTo(12);
        assertThat(r.ties()).isEqualTo(1);
        assertThat(r.skips()).isEqualTo(1);
        assertThat(r.tieRate()).isEqualTo(1.0 / 12);
        assertThat(r.positionDecided()).isEqualTo(10);
        assertThat(r.leftPicks()).isEqualTo(9);
        assertThat(r.leftShare()).isEqualTo(0.9);
        // two-sided: P(X >= 9) + P(X <= 1) for X ~ Bin(10, 1/2) = 2 (C(10,9) + C(10,10)) / 2^10 = 22/1024
        assertThat(r.positionP()).isCloseTo(22.0 / 1024, within(1e-12));
        // 12 labels taking 3 s each: 20 per minute
        assertThat(r.labelsPerMinute()).isCloseTo(20.0, within(1e-9));
    }

    /** Two people and a judge: x0 a,a,b; x1 a,b,tie; x2 tie,tie,a; x3 skip,skip,-; x4 b,b,b. */
    private static LabelSet threeAnnotators() {
        List<LabelEntry> e = new ArrayList<>();
        Choice[][] votes = {{Choice.A, Choice.A, Choice.B}, {Choice.A, Choice.B, Choice.TIE},
            {Choice.TIE, Choice.TIE, Choice.A}, {Choice.SKIP, Choice.SKIP, null}, {Choice.B, Choice.B, Choice.B}};
        for (int i = 0; i < votes.length; i++) {
            e.add(human("h1", "x" + i, votes[i][0], Response.A));
            e.add(human("h2", "x" + i, votes[i][1], Response.B));
            if (votes[i][2] != null) {
                e.add(judge("x" + i, votes[i][2]));
            }
        }
        return LabelSet.of(e);
    }

    @Test
    void agreementBetweenPeopleAndWithTheJudge() {
        LabelStats.Report r = LabelStats.of(threeAnnotators());
        assertThat(r.pairs()).isEqualTo(5);
        // h1 vs h2 on x0, x1, x2, x4 (skips left out): a/a, a/b, t/t, b/b -> p_o = 3/4;
        // h1: a 2, b 1, t 1; h2: a 1, b 2, t 1 -> p_e = (2 + 2 + 1) / 16 = 5/16;
        // kappa = (12/16 - 5/16) / (11/16) = 7/11
        LabelStats.PairwiseRow hh = r.pairwise().get(0);
        assertThat(hh).extracting(LabelStats.PairwiseRow::first, LabelStats.PairwiseRow::second,
                LabelStats.PairwiseRow::kinds, LabelStats.PairwiseRow::shared).containsExactly("h1", "h2",
                "human-human", 4);
        assertThat(hh.observed()).isEqualTo(0.75);
        assertThat(hh.kappa()).isCloseTo(7.0 / 11, within(1e-12));
        // h1 vs judge: a/b, a/t, t/a, b/b -> p_o = 1/4; h1 a 2 b 1 t 1, judge a 1 b 2 t 1 -> p_e = 5/16;
        // kappa = (4/16 - 5/16) / (11/16) = -1/11
        LabelStats.PairwiseRow hj = r.pairwise().get(1);
        assertThat(hj.kinds()).isEqualTo("human-judge");
        assertThat(hj.kappa()).isCloseTo(-1.0 / 11, within(1e-12));
        // Fleiss over x0, x1, x2, x4 (all three labelled): rows [2,1,0], [1,1,1], [1,0,2], [0,3,0]
        // and Krippendorff over the same units (x3 has no non-skip value): checked against Agreement directly
        int[][] rows = {{2, 1, 0}, {1, 1, 1}, {1, 0, 2}, {0, 3, 0}};
        assertThat(r.group().sharedByAll()).isEqualTo(4);
        assertThat(r.group().fleissKappa()).isCloseTo(Agreement.fleissKappa(rows), within(1e-12));
        assertThat(r.group().krippendorffAlpha()).isCloseTo(Agreement.krippendorffAlpha(List.of(
                new int[] {0, 0, 1}, new int[] {0, 1, 2}, new int[] {2, 2, 0}, new int[] {1, 1, 1}), 3), within(1e-12));
    }

    @Test
    void exportTakesTheMajorityAndRecordsAgreement() {
        Exporter.Result r = Exporter.export(threeAnnotators(), false);
        assertThat(r.records()).hasSize(2);
        Map<String, Object> x0 = r.records().get(0);
        assertThat(x0).containsEntry("id", "x0").containsEntry("chosen", "A of x0").containsEntry("rejected", "B of x0")
                .containsEntry("votes", 3);
        assertThat((double) x0.get("agreement")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.records().get(1)).containsEntry("id", "x4").containsEntry("chosen", "B of x4")
                .containsEntry("agreement", 1.0);
        assertThat(r).extracting(Exporter.Result::won, Exporter.Result::ties, Exporter.Result::split,
                Exporter.Result::skippedOnly).containsExactly(2, 1, 1, 1);
    }

    @Test
    void ktoExportKeepsTiesAsDesirableUnpairedRecords() {
        Exporter.Result r = Exporter.export(threeAnnotators(), true);
        assertThat(r.records()).extracting(m -> m.get("id"), m -> m.get("completion"), m -> m.get("label"),
                m -> m.get("tie")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("x0", "A of x0", true, false),
                org.assertj.core.groups.Tuple.tuple("x0", "B of x0", false, false),
                org.assertj.core.groups.Tuple.tuple("x2", "A of x2", true, true),
                org.assertj.core.groups.Tuple.tuple("x2", "B of x2", true, true),
                org.assertj.core.groups.Tuple.tuple("x4", "B of x4", true, false),
                org.assertj.core.groups.Tuple.tuple("x4", "A of x4", false, false));
    }

    @Test
    void aRetractedLabelDoesNotVote() {
        List<LabelEntry> e = new ArrayList<>();
        e.add(human("h1", "x0", Choice.A, Response.A));
        e.add(LabelEntry.retract("x0", "h1", LabelEntry.Kind.HUMAN, "t"));
        e.add(human("h1", "x0", Choice.B, Response.A));
        Exporter.Result r = Exporter.export(LabelSet.of(e), false);
        assertThat(r.records()).singleElement().satisfies(m -> assertThat(m).containsEntry("chosen", "B of x0"));
    }
}
