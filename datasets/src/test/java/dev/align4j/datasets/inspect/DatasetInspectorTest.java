package dev.align4j.datasets.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.TestData;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.template.Templates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatasetInspectorTest {

    private final Tokenizer tok = new ByteTokenizer();

    @Test
    void reportsLengthsTruncationAndMarkedExamples() {
        LoadedDataset d = DatasetLoader.load(TestData.resource("alpaca_tiny.json"));
        DatasetReport r = DatasetInspector.inspect(d, tok, "byte", Templates.ALPACA, 180);
        assertThat(r.records()).isEqualTo(3);
        assertThat(r.lengths()).containsKeys("prompt", "response", "total");
        assertThat(r.lengths().get("response").max()).isEqualTo(5); // "Red." + EOS
        assertThat(r.overCutoff()).isEqualTo(1); // only the record with an input section is longer than 180
        assertThat(r.examples()).hasSize(2);
        assertThat(r.examples().get(0)).startsWith("<|bos|>Below is an instruction")
                .endsWith("### Response:\n[[Red.<|eos|>]]\n\n");
        assertThat(r.toText()).contains("format:    alpaca (sft)");
    }

    @Test
    void preferenceReportShowsBothReplies() {
        LoadedDataset d = DatasetLoader.load(TestData.resource("hh_tiny.jsonl"), LoadOptions.defaults().withSkipInvalid(true));
        DatasetReport r = DatasetInspector.inspect(d, tok, "byte", Templates.CHATML, 512);
        assertThat(r.lengths()).containsKeys("prompt", "chosen", "rejected");
        assertThat(r.skipped()).isEqualTo(2);
        assertThat(r.examples().get(0)).contains("[[Put it in boiling water for nine minutes.<|im_end|><|eos|>]]")
                .contains("--- rejected ---").contains("[[Eggs are overrated.<|im_end|><|eos|>]]");
    }

    /** Writes the figures for the shared data sets to target/ (read by people, not asserted). */
    @Test
    void sharedDataReports() throws Exception {
        Path alpaca = TestData.shared("data/alpaca_4500.json");
        Path hh = TestData.shared("data/hh_harmless_1500.jsonl");
        // the excerpt holds one record with an empty output (line 11677): skipped and counted
        DatasetReport a = DatasetInspector.inspect(DatasetLoader.load(alpaca, LoadOptions.defaults().withSkipInvalid(true)),
                tok, "byte", Templates.ALPACA, 512);
        DatasetReport h = DatasetInspector.inspect(DatasetLoader.load(hh, LoadOptions.defaults().withSkipInvalid(true)),
                tok, "byte", Templates.CHATML, 512);
        assertThat(a.records()).isEqualTo(4499);
        assertThat(a.skipped()).isEqualTo(1);
        assertThat(h.records() + h.skipped()).isEqualTo(1500);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "inspect-alpaca_4500.txt"), a.toText());
        Files.writeString(Path.of("target", "inspect-hh_harmless_1500.txt"), h.toText());
    }
}
