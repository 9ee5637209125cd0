package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class MainTest {

    enum Mode { FAST, CAREFUL }

    /** A stand-in subcommand: fails the way asked, or echoes its enum option. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Option(names = "--fail") String fail;
        @Option(names = "--mode") Mode mode = Mode.FAST;
        @Option(names = "--count") int count;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            if ("user".equals(fail)) {
                throw UserInputException.at("data.jsonl", 3, "output", "missing field");
            }
            if ("wrapped".equals(fail)) {
                throw new IllegalStateException("worker failed",
                        new UserInputException("data.jsonl: empty file"));
            }
            if ("bug".equals(fail)) {
                throw new IllegalStateException("index out of step");
            }
            spec.commandLine().getOut().println("mode=" + mode);
            return 0;
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new Probe());
        Main.configure(cl);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void okIsZero() {
        assertThat(run("probe")).isZero();
        assertThat(out.toString()).contains("mode=FAST");
    }

    @Test
    void userInputExceptionIsTwoWithTheMessageOnly() {
        assertThat(run("probe", "--fail", "user")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: data.jsonl:3: output: missing field" + System.lineSeparator());
    }

    @Test
    void wrappedUserInputExceptionIsStillTwo() {
        assertThat(run("probe", "--fail", "wrapped")).isEqualTo(2);
        assertThat(err.toString()).contains("error: data.jsonl: empty file").doesNotContain("\tat ");
    }

    @Test
    void anythingElseIsOneWithTheTraceInRunLog(@TempDir Path dir) throws IOException {
        Path log = RunLogging.attach(dir);
        try {
            assertThat(run("probe", "--fail", "bug")).isEqualTo(1);
        } finally {
            RunLogging.detach(dir);
        }
        assertThat(err.toString())
                .contains("error: align4j probe failed: IllegalStateException: index out of step")
                .contains("The stack trace is in " + log)
                .doesNotContain("\tat ");
        assertThat(Files.readString(log)).contains("align4j probe failed", "\tat dev.align4j.cli.MainTest");
    }

    @Test
    void badFlagsAreTwo() {
        assertThat(run("probe", "--count", "many")).isEqualTo(2);
        assertThat(err.toString()).contains("error: ").contains("--count").contains("many");
        assertThat(run("probe", "--no-such-flag")).isEqualTo(2);
        assertThat(run("no-such-command")).isEqualTo(2);
    }

    @Test
    void enumsAreCaseInsensitive() {
        assertThat(run("probe", "--mode", "careful")).isZero();
        assertThat(out.toString()).contains("mode=CAREFUL");
    }

    @Test
    void versionOnTheTopCommandAndOnSubcommands() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("align4j " + VersionProvider.version());
        assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        out.getBuffer().setLength(0);
        assertThat(run("probe", "--version")).isZero();
        assertThat(out.toString()).startsWith("align4j " + VersionProvider.version());
    }

    @Test
    void subcommandHelpShowsItsOwnDescriptionAndTheStandardOptions() {
        assertThat(run("probe", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: align4j probe", "--version", "--help")
                .doesNotContain("Pretrain, fine-tune");
    }

    @Test
    void helpListsTheRegisteredCommands() {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--help")).isZero();
        assertThat(out.toString()).contains("info");
    }

    @Test
    void noCommandPrintsUsageAndIsTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: align4j");
    }
}
