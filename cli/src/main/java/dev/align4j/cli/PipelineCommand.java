package dev.align4j.cli;

import dev.align4j.pipelines.Pipeline;
import dev.align4j.pipelines.PipelineListener;
import dev.align4j.pipelines.PipelineLoader;
import dev.align4j.pipelines.PipelineRunner;
import dev.align4j.pipelines.PipelineStatus;
import dev.align4j.pipelines.PlannedStage;
import dev.align4j.pipelines.report.ReportWriter;
import dev.align4j.pipelines.stage.HumanInput;
import dev.align4j.pipelines.stage.StageOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code align4j pipeline run|validate|status FILE}: multi-stage runs from one YAML file. {@code run}
 * exits {@value #WAITING_FOR_LABELS} when it stopped before an {@code annotate} stage whose human
 * labels are not there yet (not an error: label, then run it again).
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Run, check and inspect multi-stage pipelines (synth -> sft -> pairs -> reward -> ppo -> eval ...).",
        subcommands = {PipelineCommand.Run.class, PipelineCommand.Validate.class, PipelineCommand.Status.class},
        footer = {"", "Example: align4j pipeline run pipelines/examples/quickstart.yaml. Format: pipelines/README.md"})
public final class PipelineCommand {

    /** Exit code of {@code pipeline run} when it stopped for human labels. */
    static final int WAITING_FOR_LABELS = 3;

    /** The file and the flags that change what it means. */
    static final class Source {
        @Parameters(index = "0", paramLabel = "FILE", description = "pipeline YAML")
        Path file;

        @Option(names = "--output-dir", paramLabel = "DIR", description = "pipeline folder (default runs/<name>)")
        Path outputDir;

        @Option(names = "--set", paramLabel = "STAGE.KEY=VALUE", description = "override one stage key (repeatable)")
        Map<String, String> set = new LinkedHashMap<>();

        Pipeline load() {
            return PipelineLoader.load(file, outputDir, set);
        }
    }

    /** A subcommand on one pipeline file: loads it, lets {@link #run} print to the command's out, flushes. */
    abstract static class OnPipeline implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Source source = new Source();

        @Override
        public final Integer call() {
            Pipeline p = source.load();
            PrintWriter out = spec.commandLine().getOut();
            try {
                return run(p, out);
            } finally {
                out.flush();
            }
        }

        /** @return the exit code */
        abstract int run(Pipeline p, PrintWriter out);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run every stage that is not up to date; an interrupted stage continues from its checkpoint.",
            footer = {"", "Exit codes: 0 done; 2 bad input; 3 stopped before an annotate stage that waits for human "
                    + "labels (it prints the 'align4j annotate' command to run; then run this again and it continues "
                    + "there); 130 interrupted (run again to continue); 1 anything else."})
    static final class Run extends OnPipeline {
        @Option(names = "--from", paramLabel = "STAGE", description = "rerun this stage and every later one")
        String from;

        @Override
        int run(Pipeline p, PrintWriter out) {
            out.printf(Locale.ROOT, "pipeline %s: %d stages -> %s%n", p.name(), p.stages().size(), p.outputDir());
            out.flush();
            PipelineRunner.Result r = PipelineRunner.run(p, from, new Progress(out));
            out.println("stage            time      what");
            double total = 0;
            for (PipelineRunner.StageTime t : r.stages()) {
                total += t.seconds();
                out.printf(Locale.ROOT, "%-16s %-9s %s%n", t.stage(), t.ran() ? String.format(Locale.ROOT, "%.1f s",
                        t.seconds()) : "skipped", t.summary());
            }
            out.printf(Locale.ROOT, "total %.1f s%n", total);
            if (r.waitingForInput()) {
                out.printf(Locale.ROOT, "waiting for human labels before stage '%s'; the stages before it are kept. "
                        + "When the labels are there, run the same command again (align4j pipeline run %s%s ...)%n",
                        r.waiting().stage(), source.file,
                        source.outputDir == null ? "" : " --output-dir " + source.outputDir);
                out.flush();
                return WAITING_FOR_LABELS;
            }
            if (r.interrupted()) {
                out.println("interrupted: run the same command again to continue");
                return 130;
            }
            out.println("report: " + ReportWriter.write(p.outputDir()));
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check the file (keys per stage kind, references, files, types); every problem at once.")
    static final class Validate extends OnPipeline {
        @Override
        int run(Pipeline p, PrintWriter out) {
            out.printf(Locale.ROOT, "%s: ok, pipeline %s, %d stages -> %s%n", p.file(), p.name(), p.stages().size(),
                    p.outputDir());
            for (PlannedStage s : p.stages()) {
                out.printf(Locale.ROOT, "  %d. %s (%s)%s%n", s.index() + 1, s.name(), s.kind().configName(),
                        s.dependsOn().isEmpty() ? "" : " <- " + String.join(", ", s.dependsOn()));
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each stage: done, interrupted at step N, waiting for human input, pending or stale.")
    static final class Status extends OnPipeline {
        @Override
        int run(Pipeline p, PrintWriter out) {
            out.printf(Locale.ROOT, "pipeline %s in %s%n", p.name(), p.outputDir());
            for (PipelineStatus.Line l : PipelineStatus.of(p)) {
                out.printf(Locale.ROOT, "  %-16s %-10s %s%n", l.stage(), l.kind(), l.describe());
            }
            return 0;
        }
    }

    /** Stage k of n, each stage's log in its own run.log, its time at the end. */
    private static final class Progress implements PipelineListener {
        private final PrintWriter out;

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void skipped(PlannedStage s, int of) {
            out.printf(Locale.ROOT, "[%d/%d] %s (%s): up to date, skipped%n", s.index() + 1, of, s.name(),
                    s.kind().configName());
            out.flush();
        }

        @Override
        public void started(PlannedStage s, int of, boolean resume, String why) {
            RunLogging.attach(s.dir());
            out.printf(Locale.ROOT, "[%d/%d] %s (%s): running (%s) in %s%n", s.index() + 1, of, s.name(),
                    s.kind().configName(), why, s.dir());
            out.flush();
        }

        @Override
        public void waiting(PlannedStage s, int of, HumanInput input) {
            out.printf(Locale.ROOT, "[%d/%d] %s (%s): waiting for human labels: %s%n", s.index() + 1, of, s.name(),
                    s.kind().configName(), input.progress());
            out.println("  label them with:");
            input.commands().forEach(c -> out.println("    " + c));
            out.flush();
        }

        @Override
        public void finished(PlannedStage s, int of, StageOutcome o, double seconds) {
            out.printf(Locale.ROOT, "[%d/%d] %s: %s in %.1f s: %s%n", s.index() + 1, of, s.name(),
                    o.interrupted() ? "interrupted" : "done", seconds, o.summary());
            out.flush();
            RunLogging.detach(s.dir());
        }
    }
}
