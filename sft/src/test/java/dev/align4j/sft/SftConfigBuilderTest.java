package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.tokenize.TruncationSide;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Java API's builder against the config-file path: the same keys must give the same record. */
class SftConfigBuilderTest {

    /** Every key at a value other than its default, as YAML text (what --set takes). */
    private static SftConfig fromFile() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("model_config", "small");
        keys.put("tokenizer", "bpe:300");
        keys.put("data", "[a.jsonl, b.jsonl]");
        keys.put("data_weights", "[1, 3]");
        keys.put("format", "alpaca");
        keys.put("template", "chatml");
        keys.put("map", "{instruction: question}");
        keys.put("cutoff_len", "64");
        keys.put("truncation_side", "left");
        keys.put("train_on_inputs", "true");
        keys.put("val_set_size", "0.1");
        keys.put("group_by_length", "true");
        keys.put("skip_invalid", "true");
        keys.put("num_samples", "3");
        keys.put("sample_max_new_tokens", "5");
        keys.put("sample_temperature", "0.3");
        keys.put("sample_prompt_words", "2");
        return ConfigLoader.load(null, keys, SftConfig.class);
    }

    @Test
    void builderGivesWhatTheSameKeysInAFileGive() {
        SftConfig built = SftConfig.builder().modelConfig("small").tokenizer("bpe:300")
                .data(List.of("a.jsonl", "b.jsonl")).dataWeights(List.of(1.0, 3.0)).format(DataFormat.ALPACA)
                .template("chatml").map(Map.of("instruction", "question")).cutoffLen(64)
                .truncationSide(TruncationSide.LEFT).trainOnInputs(true).valSetSize(0.1).groupByLength(true)
                .skipInvalid(true).numSamples(3).sampleMaxNewTokens(5).sampleTemperature(0.3).samplePromptWords(2)
                .build();
        assertThat(built).isEqualTo(fromFile());
    }

    @Test
    void unsetKeysTakeTheDefaults() {
        assertThat(SftConfig.builder().data(List.of("d.jsonl")).build()).isEqualTo(SftConfig.of(List.of("d.jsonl")));
    }

    @Test
    void toBuilderKeepsEveryOtherValue() {
        SftConfig c = fromFile();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        SftConfig shorter = c.toBuilder().cutoffLen(32).build();
        assertThat(shorter.cutoffLen()).isEqualTo(32);
        assertThat(shorter.toBuilder().cutoffLen(64).build()).isEqualTo(c);
    }

    @Test
    void everyKeyHasASetter() {
        for (RecordComponent rc : SftConfig.class.getRecordComponents()) {
            assertThatCode(() -> SftConfigBuilder.class.getMethod(rc.getName(), rc.getType()))
                    .as(rc.getName()).doesNotThrowAnyException();
        }
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> SftConfig.builder().data(List.of("d.jsonl")).cutoffLen(1).build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("cutoff_len");
        assertThatThrownBy(() -> SftConfig.builder().build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("data");
    }
}
