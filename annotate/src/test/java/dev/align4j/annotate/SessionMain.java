package dev.align4j.annotate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/** A session in its own JVM for {@link KillResumeTest}: args pairs labels annotator seed; keys on stdin. */
public final class SessionMain {

    private SessionMain() {
    }

    public static void main(String[] args) {
        Path labels = Path.of(args[1]);
        LabelLog.Contents c = LabelLog.read(labels);
        try (LabelLog.Writer w = LabelLog.openForAppend(labels, c);
             LineConsole console = new LineConsole(new BufferedReader(new InputStreamReader(System.in,
                     StandardCharsets.UTF_8)), new PrintWriter(System.out, true, StandardCharsets.UTF_8), 80)) {
            new Session(PairFile.read(Path.of(args[0])), LabelSet.of(c.entries()), w, console,
                    new Session.Options(args[2], Long.parseLong(args[3])), Clock.systemUTC()).run();
        }
    }
}
