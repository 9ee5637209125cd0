package dev.align4j.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tokenizer stage on an empty input file is refused when the pipeline loads, at the input's line. */
class TokenizerStageTest {

    @TempDir
    Path dir;

    private Path pipeline(Path input) throws Exception {
        return Files.writeString(dir.resolve("p.yaml"), "name: tok\nstages:\n  - name: tok\n    kind: tokenizer\n"
                + "    config:\n      vocab_size: 300\n      input: [" + input + "]\n");
    }

    @Test
    void anEmptyInputIsRefusedAtLoadNamingFileLineAndKey() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path file = pipeline(empty);
        Path out = dir.resolve("runs");
        assertThatThrownBy(() -> PipelineLoader.load(file, out, Map.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(file + ":7: tok.input: " + empty + ": empty file");
        assertThat(out).doesNotExist();

        Files.writeString(empty, "the movie was great and the movie was fine\n");
        assertThat(PipelineLoader.load(file, out, Map.of()).stages()).hasSize(1);
    }
}
