package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * An output folder named in a config file must stay inside the working directory: an absolute path
 * or one that climbs out with {@code ..} is exit 2 naming file, line and key, before anything is
 * written; the same place given on the command line is the user's choice.
 */
class OutputPathCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private Path config(String outputDir) throws Exception {
        Path data = Files.writeString(dir.resolve("d.jsonl"), "{\"instruction\": \"a\", \"output\": \"b\"}\n");
        return Files.writeString(dir.resolve("sft.yaml"), "data: [" + data + "]\nmethod: full\n"
                + "output_dir: " + outputDir + "\nmax_steps: 1\ndevice: cpu\n");
    }

    @Test
    void anAbsoluteOrEscapingOutputDirInAConfigIsExitTwoWritingNothing() throws Exception {
        for (String[] cmd : new String[][] {{"sft"}, {"dpo"}, {"reward", "train"}}) {
            Path target = dir.resolve("elsewhere-" + cmd[0]);
            Path cfg = config(target.toString());
            String[] args = new String[cmd.length + 2];
            System.arraycopy(cmd, 0, args, 0, cmd.length);
            args[cmd.length] = "--config";
            args[cmd.length + 1] = cfg.toString();
            err.getBuffer().setLength(0);
            assertThat(run(args)).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains(cfg + ":3: output_dir: '" + target + "' is an absolute path",
                    "--set output_dir=PATH").doesNotContain("Exception");
            assertThat(target).doesNotExist();
        }
        // a relative path that climbs out of the working directory (surefire's is the cli module)
        String up = "../../align4j-escape-" + ProcessHandle.current().pid();
        Path cfg = config(up);
        assertThat(run("sft", "--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(cfg + ":3: output_dir: '" + up + "' leaves the working directory");
        assertThat(Path.of(up)).doesNotExist();
    }

    @Test
    void theSamePlaceOnTheCommandLineIsNotRefusedForItsPath() throws Exception {
        Path target = dir.resolve("chosen");
        Path cfg = config(target.toString());
        // what the run does next is not under test, only that its output path is not refused
        run("sft", "--config", cfg.toString(), "--output-dir", target.toString());
        assertThat(err.toString()).doesNotContain("absolute path", "working directory");
        run("sft", "--config", cfg.toString(), "--set", "output_dir=" + target);
        assertThat(err.toString()).doesNotContain("absolute path", "working directory");
    }
}
