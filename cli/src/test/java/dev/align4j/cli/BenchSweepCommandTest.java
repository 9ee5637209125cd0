package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.io.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code align4j bench --sweep}: flag checks (exit 2, the flag named, nothing written) and a one-point run. */
class BenchSweepCommandTest {

    @Test
    void badSweepFlagsExitTwoNamingTheFlag(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("sweep.json");
        String[][] cases = {
            {"--sweep-d", "--sweep", "--sweep-d", "256,abc"},
            {"--sweep-layers", "--sweep", "--sweep-layers", "0"},
            {"--sweep-context", "--sweep", "--sweep-context", "128,,256"},
            {"--sweep-d", "--sweep", "--sweep-d", "100"},
            {"--sweep-batch", "--sweep", "--sweep-batch", "0"},
            {"--sweep-d", "--sweep-d", "256"},
            {"--config", "--sweep", "--config", "d=64"},
            {"--json", "--sweep", "--json", tmp.resolve("no/such/folder/x.json").toString()},
        };
        for (String[] c : cases) {
            CliRun r = new CliRun();
            String[] args = new String[c.length + 2];
            args[0] = "bench";
            System.arraycopy(c, 1, args, 1, c.length - 1);
            args[c.length] = "--device";
            args[c.length + 1] = "cpu";
            if (!c[0].equals("--json")) {
                args = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                        java.util.stream.Stream.of("--json", json.toString())).toArray(String[]::new);
            }
            assertThat(r.run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err.toString()).as(String.join(" ", args)).contains("error: " + c[0]);
            assertThat(json).doesNotExist();
        }
    }

    @Test
    void onePointSweepWritesTheReport(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("sweep.json");
        CliRun r = new CliRun();
        int code = r.run("bench", "--sweep", "--sweep-d", "64", "--sweep-layers", "1", "--sweep-context", "16",
                "--sweep-batch", "1", "--device", "cpu", "--json", json.toString());
        assertThat(code).as(r.err.toString()).isZero();
        Map<?, ?> report = Json.mapper().readValue(Files.readString(json), Map.class);
        List<?> points = (List<?>) report.get("sweep");
        assertThat(points).hasSize(1);
        Map<?, ?> p = (Map<?, ?>) points.get(0);
        assertThat(p.get("d")).isEqualTo(64);
        assertThat(p.get("heads")).isEqualTo(1);
        assertThat(((Number) p.get("tokens_per_s")).doubleValue()).isPositive();
        assertThat(r.out.toString()).contains("\"sweep\"");
    }
}
