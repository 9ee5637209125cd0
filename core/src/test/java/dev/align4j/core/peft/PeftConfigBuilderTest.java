package dev.align4j.core.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Java API's builder against the config-file path: the same keys must give the same record. */
class PeftConfigBuilderTest {

    @Test
    void builderGivesWhatTheSameKeysInAFileGive() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("method", "qlora");
        keys.put("lora_r", "4");
        keys.put("lora_alpha", "8");
        keys.put("lora_dropout", "0.1");
        keys.put("lora_target_modules", "[q_proj, o_proj]");
        keys.put("freeze_trainable_layers", "1");
        keys.put("freeze_trainable_modules", "[lm_head]");
        keys.put("quant_block_size", "32");
        keys.put("double_quant", "false");
        PeftConfig file = ConfigLoader.load(null, keys, PeftConfig.class);
        PeftConfig built = PeftConfig.builder().method(PeftMethod.QLORA).loraR(4).loraAlpha(8.0).loraDropout(0.1)
                .loraTargetModules(List.of("q_proj", "o_proj")).freezeTrainableLayers(1)
                .freezeTrainableModules(List.of("lm_head")).quantBlockSize(32).doubleQuant(false).build();
        assertThat(built).isEqualTo(file);
        assertThat(built.toBuilder().build()).isEqualTo(built);
        assertThat(PeftConfig.builder().build()).isEqualTo(PeftConfig.of(PeftMethod.LORA));
    }

    @Test
    void everyKeyHasASetter() {
        for (RecordComponent rc : PeftConfig.class.getRecordComponents()) {
            assertThatCode(() -> PeftConfigBuilder.class.getMethod(rc.getName(), rc.getType()))
                    .as(rc.getName()).doesNotThrowAnyException();
        }
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> PeftConfig.builder().loraR(0).build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("lora_r");
    }
}
