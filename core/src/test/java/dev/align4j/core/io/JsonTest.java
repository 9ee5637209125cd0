package dev.align4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class JsonTest {

    record Sample(int maxSteps, String outputDir) {
    }

    @TempDir
    Path dir;

    @Test
    void snakeCaseRoundTripInJsonAndYaml() throws IOException {
        Sample s = new Sample(7, "runs/x");
        assertThat(Json.line(s)).isEqualTo("{\"max_steps\":7,\"output_dir\":\"runs/x\"}");
        Path j = dir.resolve("s.json");
        Json.write(j, s);
        assertThat(Json.read(j, Sample.class)).isEqualTo(s);
        Path y = Files.writeString(dir.resolve("s.yaml"), "max_steps: 3\noutput_dir: out\n");
        assertThat(Json.read(y, Sample.class)).isEqualTo(new Sample(3, "out"));
    }

    @Test
    void unknownKeysAreErrors() throws IOException {
        Path y = Files.writeString(dir.resolve("bad.yaml"), "max_stpes: 3\n");
        assertThatThrownBy(() -> Json.read(y, Sample.class))
                .isInstanceOf(dev.align4j.core.UserInputException.class)
                .hasCauseInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining("max_stpes");
    }
}
