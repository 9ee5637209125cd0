package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted sessions (one key per line, as without a terminal) covering every key. */
class SessionTest {

    @TempDir
    Path tmp;

    private static final long SEED = 7;

    private static Choice leftChoice(String id) {
        return Session.leftOf(SEED, id).choice();
    }

    private static Choice rightChoice(String id) {
        return Session.leftOf(SEED, id).other().choice();
    }

    @Test
    void everyKeyDoesWhatItSaysAndLabelsAreStoredAsTheOriginalResponses() throws IOException {
        Path pairs = Fixtures.pairs(tmp.resolve("pairs.jsonl"), 6);
        Path labels = tmp.resolve("labels.jsonl");
        // p0: 1 (left); p1: b (right); p2: unknown key, help on and off, scrolling, a note, then t (tie);
        // p3: u undoes p2's tie, p2 shows again and gets 2 (right); p3: s (skip); p4: a (left); p5: q
        String keys = "1\nb\nx\n?\n?\nj\nk\n \nn\nboth are fine\nt\nu\n2\ns\na\nq\n";
        Fixtures.Run run = Fixtures.session(pairs, labels, "alice", SEED, keys);

        assertThat(run.summary()).isEqualTo(new Session.Summary(5, 6, 6, 1, false));
        assertThat(run.screen()).contains("unknown key: press ? for help", "KEYS", "note kept",
                "undone: the tie label of pair p2", "pair 3 of 6");
        List<LabelEntry> e = Fixtures.entries(labels);
        assertThat(e).extracting(LabelEntry::type, LabelEntry::pairId).containsExactly(
                tuple(LabelEntry.Type.LABEL, "p0"), tuple(LabelEntry.Type.LABEL, "p1"),
                tuple(LabelEntry.Type.LABEL, "p2"), tuple(LabelEntry.Type.RETRACT, "p2"),
                tuple(LabelEntry.Type.LABEL, "p2"), tuple(LabelEntry.Type.LABEL, "p3"),
                tuple(LabelEntry.Type.LABEL, "p4"));
        assertThat(e.get(0).choice()).isEqualTo(leftChoice("p0"));
        assertThat(e.get(1).choice()).isEqualTo(rightChoice("p1"));
        assertThat(e.get(2).choice()).isEqualTo(Choice.TIE);
        assertThat(e.get(2).note()).isEqualTo("both are fine");
        assertThat(e.get(4).choice()).isEqualTo(rightChoice("p2"));
        assertThat(e.get(5).choice()).isEqualTo(Choice.SKIP);
        assertThat(e.get(6).choice()).isEqualTo(leftChoice("p4"));
        // every label records the side shown on the left, the seed, the time taken and the pair's text
        for (LabelEntry l : List.of(e.get(0), e.get(1), e.get(4))) {
            assertThat(l.left()).isEqualTo(Session.leftOf(SEED, l.pairId()));
            assertThat(l.seed()).isEqualTo(SEED);
            assertThat(l.elapsedMs()).isPositive();
            assertThat(l.a()).isEqualTo("answer A" + l.pairId().substring(1));
        }
        assertThat(e.get(0).pickedLeft()).isTrue();
        assertThat(e.get(1).pickedLeft()).isFalse();

        // a rerun resumes at p5, the first pair without a label, and finishes
        Fixtures.Run again = Fixtures.session(pairs, labels, "alice", SEED, "t\n");
        assertThat(again.summary()).isEqualTo(new Session.Summary(6, 6, 1, 0, true));
        assertThat(again.screen()).contains("pair 6 of 6").doesNotContain("pair 5 of 6");
        List<LabelEntry> after = Fixtures.entries(labels);
        assertThat(after).hasSize(8);
        assertThat(after.get(7).pairId()).isEqualTo("p5");
    }

    @Test
    void undoWithNothingToUndoSaysSoAndTheEndOfInputQuits() throws IOException {
        Path pairs = Fixtures.pairs(tmp.resolve("pairs.jsonl"), 2);
        Path labels = tmp.resolve("labels.jsonl");
        Fixtures.Run run = Fixtures.session(pairs, labels, "bob", SEED, "u\n");
        assertThat(run.screen()).contains("nothing to undo");
        assertThat(run.summary()).isEqualTo(new Session.Summary(0, 2, 0, 0, false));
        assertThat(Fixtures.entries(labels)).isEmpty();
    }

    @Test
    void twoUndosWalkBackTwoLabelsAcrossARestart() throws IOException {
        Path pairs = Fixtures.pairs(tmp.resolve("pairs.jsonl"), 3);
        Path labels = tmp.resolve("labels.jsonl");
        Fixtures.session(pairs, labels, "carol", SEED, "1\n1\nq\n");
        Fixtures.Run run = Fixtures.session(pairs, labels, "carol", SEED, "u\nu\nt\nq\n");
        assertThat(run.screen()).contains("undone: the a label of pair p1".replace(" a ", " "
                + leftChoice("p1").key() + " "), "undone: the " + leftChoice("p0").key() + " label of pair p0");
        LabelSet s = LabelSet.of(Fixtures.entries(labels));
        assertThat(s.label("carol", "p0")).get().extracting(LabelEntry::choice).isEqualTo(Choice.TIE);
        assertThat(s.label("carol", "p1")).isEmpty();
        assertThat(s.retractions("carol")).isEqualTo(2);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... v) {
        return org.assertj.core.groups.Tuple.tuple(v);
    }
}
