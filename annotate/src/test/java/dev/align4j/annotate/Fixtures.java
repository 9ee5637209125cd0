package dev.align4j.annotate;

import dev.align4j.core.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Pairs files and scripted sessions for the tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** {@code n} pairs {@code {id: p<i>, prompt, responses: [A<i>, B<i>]}}. */
    static Path pairs(Path file, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(Json.line(Map.of("id", "p" + i, "prompt", "prompt number " + i,
                    "responses", List.of("answer A" + i, "answer B" + i)))).append('\n');
        }
        return Files.writeString(file, sb.toString());
    }

    /** A clock that moves 2 s forward at every reading. */
    static Clock ticking() {
        return new Clock() {
            private long now = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public synchronized long millis() {
                now += 2000;
                return now;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }
        };
    }

    /** What a scripted session printed and ended with. */
    record Run(Session.Summary summary, String screen) {
    }

    /** Runs a session on {@code labels} reading {@code keys} one per line, as the CLI does without a terminal. */
    static Run session(Path pairsFile, Path labels, String annotator, long seed, String keys) {
        List<Pair> pairs = PairFile.read(pairsFile);
        LabelLog.Contents c = LabelLog.read(labels);
        StringWriter out = new StringWriter();
        try (LabelLog.Writer w = LabelLog.openForAppend(labels, c);
             LineConsole console = new LineConsole(new BufferedReader(new StringReader(keys)), new PrintWriter(out),
                     100)) {
            Session.Summary s = new Session(pairs, LabelSet.of(c.entries()), w, console,
                    new Session.Options(annotator, seed), ticking()).run();
            return new Run(s, out.toString());
        }
    }

    static List<LabelEntry> entries(Path labels) {
        return new ArrayList<>(LabelLog.read(labels).entries());
    }
}
