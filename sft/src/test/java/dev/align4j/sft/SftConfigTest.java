package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class SftConfigTest {

    private static SftConfig load(String... kv) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return ConfigLoader.loadParts(null, o, TrainingArgs.class, PeftConfig.class, SftConfig.class)
                .get(SftConfig.class);
    }

    @Test
    void defaultsForAFreshModel() {
        SftConfig c = SftConfig.of(List.of("d.jsonl"));
        assertThat(c.modelConfig()).isEqualTo("tiny");
        assertThat(c.tokenizer()).isEqualTo("byte");
        assertThat(c.cutoffLen()).isEqualTo(256);
        assertThat(c.valSetSize()).isEqualTo(0.05);
        assertThat(c.trainOnInputs()).isFalse();
    }

    @Test
    void aGivenModelWinsOverFreshModelKeys() {
        SftConfig c = load("data", "[d.jsonl]", "model", "runs/m/model", "model_config", "tiny", "tokenizer", "bpe:500");
        assertThat(c.model()).isEqualTo("runs/m/model");
        assertThat(c.modelConfig()).isNull();
        assertThat(c.tokenizer()).isNull();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> load("data", "[]")).isInstanceOf(UserInputException.class).hasMessageContaining("data:");
        assertThatThrownBy(() -> load("data", "[a, b]", "data_weights", "[1]"))
                .hasMessageContaining("data_weights: 1 weights for 2 data files");
        assertThatThrownBy(() -> load("data", "[a]", "val_set_size", "1.5")).hasMessageContaining("val_set_size");
        assertThatThrownBy(() -> load("data", "[a]", "packing", "true", "group_by_length", "true"))
                .hasMessageContaining("packing");
        assertThatThrownBy(() -> load("data", "[a]", "tokenizer", "bpe:12")).hasMessageContaining("vocab size 12");
        assertThatThrownBy(() -> load("data", "[a]", "format", "preference")).hasMessageContaining("format:");
        assertThatThrownBy(() -> load("data", "[a]", "cutof_len", "3")).hasMessageContaining("did you mean cutoff_len");
    }
}
