package dev.align4j.ppo;

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
class PpoConfigBuilderTest {

    /** Every key at a value other than its default, as YAML text (what --set takes). */
    private static PpoConfig fromFile() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("policy", "sft/model");
        keys.put("reward_model", "rm/model");
        keys.put("prompts", "prompts.jsonl");
        keys.put("template", "chatml");
        keys.put("rollout_batch_size", "8");
        keys.put("mini_batch_size", "4");
        keys.put("ppo_epochs", "2");
        keys.put("max_new_tokens", "10");
        keys.put("temperature", "0.9");
        keys.put("top_k", "5");
        keys.put("top_p", "0.8");
        keys.put("kl_coef", "0.1");
        keys.put("kl_target", "6");
        keys.put("kl_horizon", "100");
        keys.put("gamma", "0.99");
        keys.put("lam", "0.9");
        keys.put("cliprange", "0.3");
        keys.put("cliprange_value", "0.25");
        keys.put("vf_coef", "0.2");
        keys.put("whiten_rewards", "true");
        keys.put("normalize_reward", "false");
        keys.put("missing_eos_penalty", "1");
        keys.put("num_iterations", "3");
        keys.put("disable_dropout", "false");
        keys.put("sample_prompts", "samples.jsonl");
        keys.put("sample_n", "4");
        keys.put("reward_funcs", "[length:10]");
        keys.put("reward_weights", "[0.5]");
        return ConfigLoader.load(null, keys, PpoConfig.class);
    }

    @Test
    void builderGivesWhatTheSameKeysInAFileGive() {
        PpoConfig built = PpoConfig.builder().policy("sft/model").rewardModel("rm/model").prompts("prompts.jsonl")
                .template("chatml").rolloutBatchSize(8).miniBatchSize(4).ppoEpochs(2).maxNewTokens(10)
                .temperature(0.9).topK(5).topP(0.8).klCoef(0.1).klTarget(6.0).klHorizon(100.0).gamma(0.99).lam(0.9)
                .cliprange(0.3).cliprangeValue(0.25).vfCoef(0.2).whitenRewards(true).normalizeReward(false)
                .missingEosPenalty(1.0).numIterations(3).disableDropout(false).samplePrompts("samples.jsonl")
                .sampleN(4).rewardFuncs(List.of("length:10")).rewardWeights(List.of(0.5)).build();
        PpoConfig file = fromFile();
        assertThat(built).isEqualTo(file);
        assertThat(file.toBuilder().build()).isEqualTo(file);
        assertThat(PpoConfig.builder().policy("p").rewardModel("r").prompts("q").build())
                .isEqualTo(PpoConfig.of("p", "r", "q"));
    }

    @Test
    void everyKeyHasASetter() {
        for (RecordComponent rc : PpoConfig.class.getRecordComponents()) {
            assertThatCode(() -> PpoConfigBuilder.class.getMethod(rc.getName(), rc.getType()))
                    .as(rc.getName()).doesNotThrowAnyException();
        }
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> PpoConfig.builder().ppoEpochs(0).build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("ppo_epochs");
    }
}
