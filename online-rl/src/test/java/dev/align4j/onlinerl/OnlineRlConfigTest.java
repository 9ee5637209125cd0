package dev.align4j.onlinerl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.rl.GroupAdvantages;

import org.junit.jupiter.api.Test;

/** Per-algorithm defaults and the checks that name the bad key. */
class OnlineRlConfigTest {

    @Test
    void defaultsFollowEachAlgorithm() {
        OnlineRlConfig grpo = OnlineRlConfig.builder().build();
        assertThat(grpo.algo()).isEqualTo(Algorithm.GRPO);
        assertThat(grpo.numGenerations()).isEqualTo(8);
        assertThat(grpo.beta()).isEqualTo(0.0);
        assertThat(grpo.loss()).isEqualTo(LossType.DAPO);
        assertThat(grpo.scale()).isEqualTo(GroupAdvantages.Scale.GROUP);
        assertThat(grpo.epsilonHigh()).isEqualTo(0.2);
        assertThat(grpo.miniBatchSize()).isEqualTo(16 * 8);
        OnlineRlConfig rloo = OnlineRlConfig.builder().algorithm("rloo").build();
        assertThat(rloo.numGenerations()).isEqualTo(2);
        assertThat(rloo.beta()).isEqualTo(0.05);
        assertThat(rloo.scale()).isEqualTo(GroupAdvantages.Scale.NONE);
        OnlineRlConfig rpp = OnlineRlConfig.builder().algorithm("reinforce++").build();
        assertThat(rpp.algo()).isEqualTo(Algorithm.REINFORCE_PP);
        assertThat(rpp.numGenerations()).isEqualTo(1);
        assertThat(rpp.beta()).isEqualTo(0.01);
        assertThat(OnlineRlConfig.builder().scaleRewards("false").build().scale())
                .isEqualTo(GroupAdvantages.Scale.NONE);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> OnlineRlConfig.builder().algorithm("ppo2").build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("algorithm").hasMessageContaining("rloo");
        assertThatThrownBy(() -> OnlineRlConfig.builder().numGenerations(1).build())
                .hasMessageContaining("num_generations").hasMessageContaining(">= 2");
        assertThatThrownBy(() -> OnlineRlConfig.builder().lossType("mean").build())
                .hasMessageContaining("loss_type").hasMessageContaining("dr_grpo");
        assertThatThrownBy(() -> OnlineRlConfig.builder().algorithm("rloo").scaleRewards("group").build())
                .hasMessageContaining("scale_rewards").hasMessageContaining("grpo only");
        assertThatThrownBy(() -> OnlineRlConfig.builder().normalizeAdvantages(true).build())
                .hasMessageContaining("normalize_advantages");
        assertThatThrownBy(() -> OnlineRlConfig.builder().rolloutBatchSize(2).numGenerations(2).miniBatchSize(5)
                .build()).hasMessageContaining("mini_batch_size");
        assertThatThrownBy(() -> OnlineRlConfig.builder().beta(-1.0).build()).hasMessageContaining("beta");
        assertThatThrownBy(() -> OnlineRlConfig.builder().build().requireInputs()).hasMessageContaining("policy");
        assertThatThrownBy(() -> OnlineRlConfig.builder().policy("p").prompts("q").build().requireInputs())
                .hasMessageContaining("reward_funcs");
    }
}
