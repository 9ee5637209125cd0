package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ConfigOptionsTest {

    @Command(name = "t")
    static final class WithConfig implements Runnable {
        @Mixin ConfigOptions config;

        @Override
        public void run() {}
    }

    @Test
    void typedFlagsComeAfterSetAndNullsAreSkipped() {
        WithConfig cmd = new WithConfig();
        new CommandLine(cmd).parseArgs("--config", "a.yaml", "--set", "max_steps=3", "--set", "output_dir=x",
                "--set", "beta=0.1");
        assertThat(cmd.config.file()).isEqualTo(Path.of("a.yaml"));
        Map<String, String> o = cmd.config.overrides(
                ConfigOptions.flags("output_dir", Path.of("runs/y"), "seed", null, "tags", List.of("a", "b")));
        assertThat(o).containsExactly(Map.entry("max_steps", "3"), Map.entry("beta", "0.1"),
                Map.entry("output_dir", "runs/y"), Map.entry("tags", "[\"a\",\"b\"]"));
    }
}
