package dev.align4j.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.format.DataFormat;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java API against the config-file path: the builder with the same keys gives the same record,
 * and the reward-modelling defaults for Java code are the ones a config file gets.
 */
class RewardConfigBuilderTest {

    /** Every key at a value other than its default, as YAML text (what --set takes). */
    private static RewardConfig fromFile() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("model", "sft/model");
        keys.put("data", "pairs.jsonl");
        keys.put("format", "preference");
        keys.put("template", "chatml");
        keys.put("map", "{chosen: better}");
        keys.put("max_length", "100");
        keys.put("max_prompt_length", "30");
        keys.put("val_set_size", "0.2");
        keys.put("center_rewards_coefficient", "0.01");
        keys.put("use_margin", "false");
        keys.put("disable_dropout", "false");
        keys.put("skip_invalid", "true");
        return ConfigLoader.load(null, keys, RewardConfig.class);
    }

    @Test
    void builderGivesWhatTheSameKeysInAFileGive() {
        RewardConfig built = RewardConfig.builder().model("sft/model").data("pairs.jsonl")
                .format(DataFormat.PREFERENCE).template("chatml").map(Map.of("chosen", "better")).maxLength(100)
                .maxPromptLength(30).valSetSize(0.2).centerRewardsCoefficient(0.01).useMargin(false)
                .disableDropout(false).skipInvalid(true).build();
        assertThat(built).isEqualTo(fromFile());
        assertThat(built.toBuilder().build()).isEqualTo(built);
        assertThat(RewardConfig.builder().model("m").data("d").build()).isEqualTo(RewardConfig.of("m", "d"));
    }

    @Test
    void everyKeyHasASetter() {
        for (RecordComponent rc : RewardConfig.class.getRecordComponents()) {
            assertThatCode(() -> RewardConfigBuilder.class.getMethod(rc.getName(), rc.getType()))
                    .as(rc.getName()).doesNotThrowAnyException();
        }
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> RewardConfig.builder().model("m").data("d").maxLength(1).build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("max_length");
    }

    @Test
    void javaDefaultsAreTheConfigFileDefaults() {
        RewardSettings file = RewardSettings.load(null, Map.of("model", "m", "data", "d"));
        assertThat(RewardSettings.trainingDefaults().build()).isEqualTo(file.args());
        assertThat(RewardSettings.defaultPeft()).isEqualTo(file.peft());
        TrainingArgs args = RewardSettings.trainingDefaults().build();
        assertThat(args.learningRate()).isEqualTo(1e-5);
        assertThat(args.metricForBestModel()).isEqualTo("eval_accuracy");
        assertThat(args.greaterIsBetter()).isTrue();
        assertThat(RewardSettings.defaultPeft().method()).isEqualTo(PeftMethod.FULL);
    }
}
