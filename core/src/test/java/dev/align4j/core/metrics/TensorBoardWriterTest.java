package dev.align4j.core.metrics;

import dev.align4j.core.metrics.proto.Event;
import dev.align4j.core.metrics.proto.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TensorBoardWriterTest {

    private static final Clock AT_1500 = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_500L), ZoneOffset.UTC);

    @Test
    void generatedClassesUseTensorBoardsFieldNumbers() {
        // Event{wall_time=1.5 (field 1, fixed64), step=3 (field 2, varint),
        //       summary (field 5) {value (1) {tag (1) "a", simple_value (2, fixed32) 2.0f}}}, by hand:
        // 09 000000000000f83f | 10 03 | 2a 0a | 0a 08 | 0a 01 61 | 15 00000040
        Event e = Event.newBuilder().setWallTime(1.5).setStep(3).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag("a").setSimpleValue(2f))).build();
        assertThat(HexFormat.of().formatHex(e.toByteArray()))
                .isEqualTo("09000000000000f83f" + "1003" + "2a0a" + "0a08" + "0a0161" + "1500000040");
        // file_version is field 3 (length-delimited): 1a 0d "brain.Event:2"
        assertThat(HexFormat.of().formatHex(Event.newBuilder().setFileVersion("brain.Event:2").build().toByteArray()))
                .startsWith("1a0d627261696e");
    }

    @Test
    void writesAFileVersionEventThenOneEventPerScalar(@TempDir Path dir) {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(dir.resolve("tb"), AT_1500)) {
            w.addScalar("train/loss", 1, 2.5);
            w.addScalar("rewards/chosen", 1, -0.25);
            w.addScalar("train/loss", 2, 1.75);
            w.flush();
            file = w.file();
        }
        assertThat(file.getParent()).isEqualTo(dir.resolve("tb"));
        assertThat(file.getFileName().toString()).startsWith("events.out.tfevents.1700000000.");

        List<Event> events = TensorBoardReader.events(file);
        assertThat(events).hasSize(4);
        assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
        assertThat(events.get(0).getWallTime()).isEqualTo(1_700_000_000.5);
        assertThat(TensorBoardReader.scalars(file)).containsExactly(
                new TensorBoardReader.Scalar("train/loss", 1, 2.5f, 1_700_000_000.5),
                new TensorBoardReader.Scalar("rewards/chosen", 1, -0.25f, 1_700_000_000.5),
                new TensorBoardReader.Scalar("train/loss", 2, 1.75f, 1_700_000_000.5));
    }

    @Test
    void aSecondWriterInTheSameSecondGetsItsOwnFile(@TempDir Path dir) throws IOException {
        try (TensorBoardWriter a = new TensorBoardWriter(dir, AT_1500);
             TensorBoardWriter b = new TensorBoardWriter(dir, AT_1500)) {
            a.addScalar("x", 0, 1);
            b.addScalar("x", 0, 2);
            assertThat(b.file()).isNotEqualTo(a.file());
            assertThat(b.file().getFileName().toString()).isEqualTo(a.file().getFileName() + ".1");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(TensorBoardReader::scalars).map(s -> s.get(0).value()))
                    .containsExactlyInAnyOrder(1f, 2f);
        }
    }

    @Test
    void nonFiniteValuesSurviveAsFloats(@TempDir Path dir) {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(dir, AT_1500)) {
            w.addScalar("train/grad_norm", 7, Double.NaN);
            w.addScalar("train/grad_norm", 8, Double.POSITIVE_INFINITY);
            file = w.file();
        }
        assertThat(TensorBoardReader.scalars(file)).extracting(TensorBoardReader.Scalar::value)
                .containsExactly(Float.NaN, Float.POSITIVE_INFINITY);
    }
}
