package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.align4j.cli.TinyModelDirs.Result;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export}: no silent inf in float16, and every exported file with the same permissions. */
class ExportSafetyTest {

    @TempDir
    Path tmp;

    /** A tiny model whose {@code name} holds one value of {@code big}. */
    private Path modelWith(String name, float big) {
        Path dir = tmp.resolve("model");
        try (ModelBundle b = ModelBundle.create(TinyModelDirs.llama(), TinyModelDirs.TOK, Templates.CHATML,
                Device.cpu(), 3)) {
            NDArray a = b.model().namedParameters().get(name).getArray();
            float[] v = a.toFloatArray();
            v[7] = big;
            a.set(v);
            b.save(dir, Map.of("config", Map.of("seed", 3)));
        }
        return dir;
    }

    @Test
    void exportedFilesAllHaveTheSamePermissions() throws Exception {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path model = modelWith("blocks.0.mlp.up_proj.weight", 0.5f);
        Set<PosixFilePermission> fresh = Files.getPosixFilePermissions(Files.writeString(tmp.resolve("x"), "x"));
        for (String format : new String[] {"hf", "align4j"}) {
            Path out = tmp.resolve("out-" + format);
            Result r = TinyModelDirs.run(new ExportCommand(), "export", "--model", model.toString(),
                    "--out", out.toString(), "--format", format);
            assertThat(r.code()).as(r.err()).isZero();
            try (Stream<Path> s = Files.walk(out)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.getPosixFilePermissions(f)).as(out.relativize(f).toString()).isEqualTo(fresh);
                }
            }
            assertThat(out.resolve(ModelBundle.PROVENANCE)).exists();
        }
    }
}
