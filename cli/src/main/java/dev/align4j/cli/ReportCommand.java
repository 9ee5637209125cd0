package dev.align4j.cli;

import dev.align4j.pipelines.report.ReportWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code align4j report RUN_DIR}: a self-contained report.html for a pipeline folder or any run folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html: curves from metrics.jsonl, the eval table, samples, config and provenance "
                + "(one file, charts embedded).")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a pipeline folder (with pipeline.lock.json) or a run folder")
    Path dir;

    @Override
    public Integer call() {
        Path out = ReportWriter.write(dir);
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("wrote " + out);
        pw.flush();
        return 0;
    }
}
