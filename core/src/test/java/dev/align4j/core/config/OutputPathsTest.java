package dev.align4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.align4j.core.UserInputException;
import dev.align4j.core.train.TrainingArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output paths named in a config file stay inside the working directory; the command line may name
 * any place. The shipped example configs must keep loading under the rule.
 */
class OutputPathsTest {

    record Job(@JsonProperty("out") @OutputPath String out, @JsonProperty("report") @OutputPath String report,
               @JsonProperty("data") String data) {
    }

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("job.yaml"), text);
    }

    @Test
    void theRuleIsLexicalContainmentInTheWorkingDirectory() {
        for (String ok : List.of("runs/x", "runs/a/../b", "./runs/x", "x", "runs/../runs/y")) {
            assertThat(OutputPaths.escape(ok)).as(ok).isNull();
        }
        assertThat(OutputPaths.escape("../x")).contains("leaves the working directory");
        assertThat(OutputPaths.escape("runs/../../x")).contains("leaves the working directory");
        assertThat(OutputPaths.escape("../../etc/x")).contains("leaves the working directory");
        assertThat(OutputPaths.escape("/etc/x")).contains("is an absolute path");
    }

    @Test
    void anEscapingPathFromTheFileIsRefusedNamingFileLineAndKey() throws Exception {
        Path file = write("data: d.jsonl\nout: ../../etc/x\nreport: /tmp/elsewhere\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Job.class))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(file + ":2: out: '../../etc/x' leaves the working directory")
                .hasMessageContaining(file + ":3: report: '/tmp/elsewhere' is an absolute path")
                .hasMessageContaining("--set out=PATH");
        Path fine = write("out: runs/job\nreport: runs/job/report.html\ndata: /anywhere/d.jsonl\n");
        assertThat(ConfigLoader.load(fine, Map.of(), Job.class).out()).isEqualTo("runs/job");
    }

    @Test
    void theCommandLineMayNameAnyPlace() throws Exception {
        Path file = write("out: ../../etc/x\n");
        Job job = ConfigLoader.load(file, Map.of("out", dir.resolve("o").toString(), "report", "/tmp/r"), Job.class);
        assertThat(job.out()).isEqualTo(dir.resolve("o").toString());
        assertThat(ConfigLoader.load(null, Map.of("out", "../up"), Job.class).out()).isEqualTo("../up");
    }

    @Test
    void trainingArgsOutputDirFollowsTheRuleInSplitConfigs() throws Exception {
        Path file = write("output_dir: " + dir.resolve("run") + "\nmax_steps: 1\n");
        assertThatThrownBy(() -> ConfigLoader.loadParts(file, Map.of(), TrainingArgs.class))
                .hasMessageStartingWith(file + ":1: output_dir: '" + dir.resolve("run") + "' is an absolute path");
        assertThat(ConfigLoader.loadParts(file, Map.of("output_dir", dir.resolve("run").toString()),
                TrainingArgs.class).get(TrainingArgs.class).outputDir()).isEqualTo(dir.resolve("run").toString());
    }

    /** Every shipped example config (the tests run in the module folder, so the repository is ..). */
    @Test
    void everyShippedExampleConfigKeepsItsOutputPathsInside() throws Exception {
        List<Path> examples = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path module : modules.toList()) {
                Path ex = module.resolve("examples");
                if (Files.isDirectory(ex)) {
                    try (Stream<Path> files = Files.list(ex)) {
                        files.filter(f -> f.toString().endsWith(".yaml")).forEach(examples::add);
                    }
                }
            }
        }
        assertThat(examples).hasSizeGreaterThan(10);
        int withOutput = 0;
        for (Path f : examples) {
            JsonNode root = new YAMLMapper().readTree(f.toFile());
            JsonNode out = root == null ? null : root.get("output_dir");
            if (out != null) {
                withOutput++;
                assertThat(OutputPaths.escape(out.asText())).as(f.toString()).isNull();
            }
        }
        assertThat(withOutput).isGreaterThan(5);
    }
}
