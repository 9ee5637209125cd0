package dev.align4j.cli;

import dev.align4j.core.config.Interrupts;
import dev.align4j.core.run.MetricsSink;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.run.RunResult;
import dev.align4j.sft.LmRun;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every training command prints for people, and its exit code. A {@link MetricsSink}: one line
 * per logging step when no terminal shows the progress bar. Then a summary (first and last loss,
 * metrics, where things were saved) and exit 0, or for a run stopped by Ctrl-C where its
 * checkpoint is and how to resume, and exit {@value #INTERRUPTED}.
 */
final class TrainOutput implements MetricsSink {

    /** The exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it). */
    static final int INTERRUPTED = Interrupts.EXIT_CODE;

    private final PrintWriter out;
    private final String command;
    private final long loggingSteps;
    private final String key;
    private final boolean lines = System.console() == null;
    private long total;
    private double first = Double.NaN;

    /**
     * @param command how to run the command again (for the resume hint), e.g. "align4j sft"
     * @param key the metric shown per step ("loss"; PPO "score")
     */
    TrainOutput(PrintWriter out, String command, long loggingSteps, String key) {
        this.out = out;
        this.command = command;
        this.loggingSteps = loggingSteps;
        this.key = key;
    }

    /** Attaches this printer to {@code run} as a sink; call before {@code train()}. */
    PreparedRun attach(PreparedRun run) {
        total = run.plannedSteps();
        return run.addSink(this);
    }

    void header(String what, LmRun run) {
        var cfg = run.bundle().config();
        out.printf(Locale.ROOT, "%s: %s model d_model %d, %d layers, vocab %d; %d training sequences, %d validation; "
                + "method %s; output %s%n", what, cfg.architecture().name().toLowerCase(Locale.ROOT), cfg.dModel(),
                cfg.nLayers(), cfg.vocabSize(), run.data().train().size(), run.data().validation().size(),
                run.peft().method().configName(), run.args().outputDir());
        out.flush();
    }

    @Override
    public void step(long step, Map<String, Double> m) {
        if (Double.isNaN(first)) {
            first = m.getOrDefault(key, Double.NaN);
        }
        if (lines && (step % loggingSteps == 0 || step == total)) {
            String of = total > 0 ? "/" + total : "";
            out.printf(Locale.ROOT, "step %d%s  %s %.4f  lr %.2e%n", step, of, key, m.getOrDefault(key, Double.NaN),
                    m.getOrDefault("lr", Double.NaN));
            out.flush();
        }
    }

    @Override
    public void log(long step, Map<String, Double> metrics) {
    }

    /**
     * For an interrupted run prints where it stopped and how to resume, and returns
     * {@value #INTERRUPTED}; otherwise returns -1 (the caller prints its summary).
     */
    int interrupted(RunResult r) {
        if (!r.interrupted()) {
            return -1;
        }
        out.printf(Locale.ROOT, "interrupted at step %d; checkpoint %s; no model was exported.%n"
                + "resume with: %s%n", r.steps(), r.lastCheckpoint(), Interrupts.resumeCommand()
                        .orElse(command + " ... --resume (the same arguments, plus --resume)"));
        out.flush();
        return INTERRUPTED;
    }

    /** The causal-LM summary (pretrain, sft): loss first -> last, eval loss, folders; returns 0 or 130. */
    int summary(RunResult r) {
        int stopped = interrupted(r);
        if (stopped >= 0) {
            return stopped;
        }
        out.printf(Locale.ROOT, "done: %d steps, loss %.4f -> %.4f", r.steps(), first, r.metrics().get("train_loss"));
        Double ev = r.metrics().get("eval_loss");
        if (ev != null) {
            out.printf(Locale.ROOT, ", eval_loss %.4f (perplexity %.2f)", ev, r.metrics().get("eval_perplexity"));
        }
        out.println();
        folders(r);
        return 0;
    }

    /** model:, adapter: and run folder lines. */
    void folders(RunResult r) {
        out.println("model: " + r.modelDir());
        if (r.adapterDir() != null) {
            out.println("adapter: " + r.adapterDir());
        }
        out.printf(Locale.ROOT, "run folder: %s (metrics.jsonl, samples.jsonl, run.log)%n", r.runDir());
        out.flush();
    }

    /** One line {@code label: k=v ...} of {@code metrics} whose name starts with {@code prefix}, sorted. */
    void metrics(String label, Map<String, Double> metrics, String prefix) {
        StringBuilder sb = new StringBuilder(label).append(':');
        new TreeMap<>(metrics).forEach((k, v) -> {
            if (k.startsWith(prefix) && v != null) {
                sb.append(String.format(Locale.ROOT, " %s=%.4g", k, v));
            }
        });
        out.println(sb);
    }
}
