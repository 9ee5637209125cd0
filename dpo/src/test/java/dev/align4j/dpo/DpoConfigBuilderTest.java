package dev.align4j.dpo;

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
class DpoConfigBuilderTest {

    /** Every key at a value other than its default, as YAML text (what --set takes). */
    private static DpoConfig fromFile() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("model", "sft/model");
        keys.put("ref_model", "ref/model");
        keys.put("data", "pairs.jsonl");
        keys.put("format", "preference");
        keys.put("template", "chatml");
        keys.put("map", "[prompt=question]");
        keys.put("loss_type", "robust");
        keys.put("beta", "0.2");
        keys.put("label_smoothing", "0.1");
        keys.put("simpo_gamma", "0.7");
        keys.put("desirable_weight", "2");
        keys.put("undesirable_weight", "3");
        keys.put("max_length", "100");
        keys.put("max_prompt_length", "40");
        keys.put("val_set_size", "2");
        keys.put("precompute_ref_log_probs", "false");
        keys.put("disable_dropout", "false");
        keys.put("skip_invalid", "true");
        keys.put("sample_prompts", "prompts.jsonl");
        keys.put("sample_n", "4");
        keys.put("max_new_tokens", "9");
        keys.put("temperature", "0.5");
        keys.put("rpo_alpha", "0.5");
        return ConfigLoader.load(null, keys, DpoConfig.class);
    }

    @Test
    void builderGivesWhatTheSameKeysInAFileGive() {
        DpoConfig built = DpoConfig.builder().model("sft/model").refModel("ref/model").data("pairs.jsonl")
                .format("preference").template("chatml").map(List.of("prompt=question")).lossType(DpoLossType.ROBUST)
                .beta(0.2).labelSmoothing(0.1).simpoGamma(0.7).desirableWeight(2.0).undesirableWeight(3.0)
                .maxLength(100).maxPromptLength(40).valSetSize(2.0).precomputeRefLogProbs(false)
                .disableDropout(false).skipInvalid(true).samplePrompts("prompts.jsonl").sampleN(4).maxNewTokens(9)
                .temperature(0.5).rpoAlpha(0.5).build();
        assertThat(built).isEqualTo(fromFile());
    }

    @Test
    void unsetKeysTakeTheDefaults() {
        assertThat(DpoConfig.builder().model("m").data("d").build()).isEqualTo(DpoConfig.of("m", "d"));
    }

    @Test
    void toBuilderKeepsEveryOtherValue() {
        DpoConfig c = fromFile();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        DpoConfig other = c.toBuilder().beta(0.5).build();
        assertThat(other.beta()).isEqualTo(0.5);
        assertThat(other.toBuilder().beta(0.2).build()).isEqualTo(c);
    }

    @Test
    void everyKeyHasASetter() {
        for (RecordComponent rc : DpoConfig.class.getRecordComponents()) {
            assertThatCode(() -> DpoConfigBuilder.class.getMethod(rc.getName(), rc.getType()))
                    .as(rc.getName()).doesNotThrowAnyException();
        }
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> DpoConfig.builder().model("m").data("d").beta(-1.0).build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("beta");
        assertThatThrownBy(() -> DpoConfig.builder().data("d").build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("model");
    }
}
