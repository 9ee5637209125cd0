package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --quiet, --log-level, completion and the grouped --help, through the real command tree. */
class CliHabitsTest {

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @AfterEach
    void restoreLogging() {
        TerminalLog.set(Level.INFO);
    }

    /** Whether a line logged by align4j at {@code level} reaches the terminal (stderr). */
    private static boolean terminalShows(Level level) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String marker = "probe-" + level + "-" + System.nanoTime();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogManager.getLogger("dev.align4j.cli.Probe").log(level, marker);
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8).contains(marker);
    }

    @Test
    void quietAndLogLevelSetTheTerminalLevelBeforeTheCommandRunsBeforeOrAfterIt() {
        assertThat(run("info", "--no-engine")).isZero();
        assertThat(TerminalLog.level()).isEqualTo(Level.INFO);
        assertThat(terminalShows(Level.INFO)).isTrue();
        assertThat(terminalShows(Level.DEBUG)).isFalse();

        assertThat(run("--quiet", "info", "--no-engine")).isZero();
        assertThat(TerminalLog.level()).isEqualTo(Level.WARN);
        assertThat(terminalShows(Level.INFO)).isFalse();
        assertThat(terminalShows(Level.WARN)).isTrue();

        assertThat(run("info", "-q", "--no-engine")).isZero(); // after the subcommand too
        assertThat(TerminalLog.level()).isEqualTo(Level.WARN);

        assertThat(run("info", "--no-engine", "--log-level", "debug")).isZero();
        assertThat(terminalShows(Level.DEBUG)).isTrue();
        assertThat(run("--quiet", "--log-level", "ERROR", "info", "--no-engine")).isZero();
        assertThat(terminalShows(Level.WARN)).isFalse();
        assertThat(terminalShows(Level.ERROR)).isTrue();

        assertThat(run("info", "--log-level", "loud")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("--log-level").contains("'loud'");
    }

    @Test
    void completionPrintsPicocliBashScriptWithTheSubcommands() {
        assertThat(run("completion", "bash")).as(err.toString()).isZero();
        String script = out.toString();
        assertThat(script).contains("complete -F _complete_align4j").contains("generate").contains("pretrain")
                .contains("--max-new-tokens").contains("--log-level");
        assertThat(run("completion", "fish")).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void helpListsEveryCommandOnceUnderItsStage() {
        assertThat(run("--help")).isZero();
        String help = out.toString();
        List<String> headings = new ArrayList<>(CommandGroups.STAGES.keySet());
        int last = -1;
        for (String h : headings) {
            int at = help.indexOf("\n" + h + ":");
            assertThat(at).as(h).isGreaterThan(last);
            last = at;
        }
        assertThat(help).doesNotContain("Other:").doesNotContain("Commands:");
        // each command appears as a listed entry exactly once, under the heading of its stage
        CommandLine cl = Main.newCommandLine();
        for (String name : cl.getSubcommands().keySet()) {
            if (cl.getSubcommands().get(name).getCommandName().equals(name)) {
                assertThat(help.split("\n  " + java.util.regex.Pattern.quote(name) + "[ ,]", -1)).as(name).hasSize(2);
            }
        }
        int dpo = help.indexOf("\n  dpo ");
        assertThat(dpo).isGreaterThan(help.indexOf("\nAlign:")).isLessThan(help.indexOf("\nEvaluate:"));
    }

    @Test
    void aCommandNotInAnyStageIsListedUnderOther() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new MainTest.Probe());
        Main.configure(cl);
        StringWriter help = new StringWriter();
        cl.setOut(new PrintWriter(help, true));
        assertThat(cl.execute("--help")).isZero();
        assertThat(help.toString()).contains("\nOther:").contains("  probe");
    }
}
