package dev.align4j.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.metrics.TensorBoardReader;
import dev.align4j.core.metrics.TensorBoardReader.Scalar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardSinkTest {

    @TempDir
    Path dir;

    @Test
    void logsEveryLineUnderTrlTagsAndReadsBack() throws Exception {
        try (TensorBoardSink sink = new TensorBoardSink(dir)) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", 2.5);
            m.put("lr", 1e-3);
            m.put("rewards/chosen", 0.25);
            m.put("epoch", 0.5);
            sink.log(10, m);
            Map<String, Double> e = new LinkedHashMap<>();
            e.put("eval_loss", 3.0);
            e.put("score", 1.5);
            e.put("kl", 0.125);
            sink.log(20, e);
            sink.sync();
        }
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow();
        }
        List<Scalar> s = TensorBoardReader.scalars(file);
        assertThat(s).extracting(Scalar::tag).containsExactly("train/loss", "train/learning_rate",
                "train/rewards/chosen", "train/epoch", "eval/loss", "train/objective/scores", "train/objective/kl");
        assertThat(s).extracting(Scalar::step).containsExactly(10L, 10L, 10L, 10L, 20L, 20L, 20L);
        assertThat(s.get(0).value()).isEqualTo(2.5f);
        assertThat(s.get(1).value()).isEqualTo(1e-3f);
        assertThat(s.get(6).value()).isEqualTo(0.125f);
    }
}
