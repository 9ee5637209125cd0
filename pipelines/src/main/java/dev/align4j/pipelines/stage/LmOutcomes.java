package dev.align4j.pipelines.stage;

import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.run.RunResult;
import java.util.Locale;
import java.util.Map;

/** Runs a prepared trainer run (the run lifecycle) and turns its {@link RunResult} into a stage outcome. */
final class LmOutcomes {

    private LmOutcomes() {
    }

    /** {@code run.train()}, closed afterwards; the summary names {@code keys} that the metrics have. */
    static StageOutcome train(String what, PreparedRun run, String... keys) {
        try (run) {
            return of(what, run.train(), keys);
        }
    }

    static StageOutcome of(String what, RunResult r, String... keys) {
        Map<String, Double> m = r.metrics();
        StringBuilder summary = new StringBuilder(String.format(Locale.ROOT, "%s: %d steps", what, r.steps()));
        for (String k : keys) {
            Double v = m.get(k);
            if (v != null) {
                summary.append(String.format(Locale.ROOT, ", %s %.4f", k, v));
            }
        }
        return new StageOutcome(r.interrupted(), r.steps(), summary.toString(), m);
    }
}
