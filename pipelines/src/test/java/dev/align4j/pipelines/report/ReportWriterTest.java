package dev.align4j.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.pipelines.PipelineLock;
import dev.align4j.pipelines.eval.ArithmeticReport;
import dev.align4j.pipelines.eval.EvalReport;
import dev.align4j.pipelines.eval.ModelMetrics;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void aPipelineFolderGetsChartsTheEvalTableAndSamplesInOneFile() throws Exception {
        Path sft = Files.createDirectories(dir.resolve("sft"));
        Files.writeString(sft.resolve("metrics.jsonl"), String.join("\n",
                "{\"step\":1,\"loss\":3.0,\"lr\":0.001}",
                "{\"step\":2,\"loss\":2.0,\"lr\":0.002}",
                "{\"step\":2,\"eval_loss\":2.5}",
                "{\"step\":3,\"loss\":1.5,\"lr\":0.001}",
                "{\"step\":4,\"lo"));                                 // torn last line: skipped
        Files.writeString(sft.resolve("config.json"), "{\"max_steps\": 3}");
        Path eval = Files.createDirectories(dir.resolve("eval"));
        Map<String, String> sample = new LinkedHashMap<>();
        sample.put("prompt", "the movie");
        sample.put("sft", " was <b>good</b> .");
        sample.put("ppo", " was great and superb .");
        EvalReport r = new EvalReport(2, 1, "sft", "sft", "p.jsonl", 0, List.of(
                new ModelMetrics("sft", "a", null, 0.5, 0.5, 0.2, 0.8, 0.0, 5, 1, 0.5, 1.0, 3.1),
                new ModelMetrics("ppo", "b", null, 1.5, 0.75, 0.3, 0.95, 1.25, 6, 1, 0.4, 0.5, 3.4)), 0.9, List.of(sample));
        Json.write(eval.resolve("eval.json"), r);
        new PipelineLock("demo", List.of(new PipelineLock.Entry("sft", "sft", "a".repeat(64), "b".repeat(64), 3, 1.5,
                "sft: 3 steps"), new PipelineLock.Entry("eval", "eval", "c".repeat(64), "d".repeat(64), 0, 0.5, "eval")))
                .write(dir.resolve("pipeline.lock.json"));

        String html = Files.readString(ReportWriter.write(dir));

        assertThat(html).contains("pipeline demo", "sft (sft)", "eval (eval)", "75.0% [30.0, 95.0]", "50.0%", "ceiling: 90.0%")
                .contains("the movie", " was &lt;b&gt;good&lt;/b&gt; .", "max_steps")
                .doesNotContain("<script", "http://", "https://", "<b>good");
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(html);
        int images = 0;
        while (m.find()) {
            var img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertThat(img.getWidth()).isEqualTo(540);
            images++;
        }
        assertThat(images).as("learning rate and loss charts").isEqualTo(2);
    }

    @Test
    void anArithmeticEvalFolderGetsItsAccuracyTable() throws Exception {
        Map<String, String> sample = new LinkedHashMap<>();
        sample.put("prompt", "12+7=");
        sample.put("answer", "19");
        sample.put("sft", "18");
        ArithmeticReport.Accuracy greedy = new ArithmeticReport.Accuracy(1, 4, 0.25, 0.05, 0.7);
        ArithmeticReport r = new ArithmeticReport(4, 1, 1.0, "p.jsonl",
                List.of(new ArithmeticReport.Row("sft", "a", greedy, null, 2.0, 1.0)), List.of(sample));
        Json.write(dir.resolve("eval.json"), r);
        assertThat(Json.read(dir.resolve("eval.json"), ArithmeticReport.class)).isEqualTo(r);
        assertThat(Files.readString(dir.resolve("eval.json"))).contains("\"task\" : \"arithmetic\"");

        String html = Files.readString(ReportWriter.write(dir));

        assertThat(html).contains("4 held-out arithmetic prompts", "25.0% [5.0, 70.0]", "12+7=", "greedy answers");
    }

    @Test
    void aFolderThatIsNoRunIsBadInput() {
        assertThatThrownBy(() -> ReportWriter.write(dir)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("neither a pipeline folder");
    }
}
