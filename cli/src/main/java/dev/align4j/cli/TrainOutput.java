package dev.align4j.cli;

import dev.align4j.sft.LmTrainer;
import dev.align4j.sft.PreparedRun;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What {@code pretrain} and {@code sft} print for people: a header, one line per logging step when
 * no terminal shows the engine's progress bar, and a summary (loss at the first and last step,
 * eval metrics, where things were saved).
 */
final class TrainOutput {

    private final PrintWriter out;
    private final long loggingSteps;
    private double firstLoss = Double.NaN;

    TrainOutput(PrintWriter out, long loggingSteps) {
        this.out = out;
        this.loggingSteps = loggingSteps;
    }

    void header(String what, PreparedRun run) {
        var cfg = run.bundle().config();
        out.printf(Locale.ROOT, "%s: %s model d_model %d, %d layers, vocab %d; %d training sequences, %d validation; "
                + "method %s; output %s%n", what, cfg.architecture().name().toLowerCase(Locale.ROOT), cfg.dModel(),
                cfg.nLayers(), cfg.vocabSize(), run.data().train().size(), run.data().validation().size(),
                run.peft().method().configName(), run.args().outputDir());
        out.flush();
    }

    /**
     * Prints a line every logging step unless a terminal shows the progress bar.
     *
     * @param totalSteps max_steps, or <= 0 when the run is measured in epochs (no total shown)
     */
    BiConsumer<Long, Map<String, Double>> progress(long totalSteps) {
        boolean lines = System.console() == null;
        return (step, m) -> {
            if (Double.isNaN(firstLoss)) {
                firstLoss = m.get("loss");
            }
            if (lines && (step % loggingSteps == 0 || step == totalSteps)) {
                String of = totalSteps > 0 ? "/" + totalSteps : "";
                out.printf(Locale.ROOT, "step %d%s  loss %.4f  lr %.2e%n", step, of, m.get("loss"), m.get("lr"));
                out.flush();
            }
        };
    }

    void summary(LmTrainer.Outcome o) {
        out.printf(Locale.ROOT, "done: %d steps, loss %.4f -> %.4f", o.result().steps(), firstLoss,
                o.result().lastLoss());
        Double ev = o.metrics().get("eval_loss");
        if (ev != null) {
            out.printf(Locale.ROOT, ", eval_loss %.4f (perplexity %.2f)", ev, o.metrics().get("eval_perplexity"));
        }
        out.println();
        out.println("model: " + o.modelDir());
        if (o.adapterDir() != null) {
            out.println("adapter: " + o.adapterDir());
        }
        out.flush();
    }
}
