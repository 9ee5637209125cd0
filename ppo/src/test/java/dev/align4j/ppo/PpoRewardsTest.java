package dev.align4j.ppo;

import dev.align4j.rl.PromptSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PpoRewardsTest {

    @Test
    void klPenaltyPerTokenAndScoreAtTheLastRealToken() {
        // row 0: 3 real tokens of 4; row 1: 1 real token
        float[][] logp = {{-1f, -2f, -0.5f, -9f}, {-1f, -9f, -9f, -9f}};
        float[][] ref = {{-1.5f, -2f, -1f, -1f}, {-0.5f, -1f, -1f, -1f}};
        float[] scores = {2f, -1f};
        int[] lengths = {3, 1};
        float[][] r = PpoRewards.perToken(logp, ref, scores, lengths, 0.1);
        // row 0: -0.1 * (0.5, 0, 0.5) then + 2 at t=2; padding 0
        assertThat(r[0][0]).isCloseTo(-0.05f, within(1e-7f));
        assertThat(r[0][1]).isEqualTo(0f);
        assertThat(r[0][2]).isCloseTo(-0.05f + 2f, within(1e-6f));
        assertThat(r[0][3]).isEqualTo(0f);
        // row 1: -0.1 * (-0.5) + (-1) at t=0, the rest padding
        assertThat(r[1][0]).isCloseTo(0.05f - 1f, within(1e-6f));
        assertThat(r[1][1]).isEqualTo(0f);
        double[] kl = PpoRewards.sequenceKl(logp, ref, lengths);
        assertThat(kl[0]).isCloseTo(1.0, within(1e-6));
        assertThat(kl[1]).isCloseTo(-0.5, within(1e-6));
    }

    @Test
    void whiteningRewardsKeepsTheirMeanAndGivesUnitStd() {
        float[][] x = {{1f, 3f, 99f}, {5f, 99f, 99f}};
        dev.align4j.rl.Whitening.whiten(x, new int[] {2, 1}, false);
        // valid 1, 3, 5: mean 3, sample std 2 -> (x - 3) / 2 + 3; padding untouched
        assertThat(x[0][0]).isCloseTo(2f, within(1e-5f));
        assertThat(x[0][1]).isCloseTo(3f, within(1e-5f));
        assertThat(x[1][0]).isCloseTo(4f, within(1e-5f));
        assertThat(x[0][2]).isEqualTo(99f);
    }

    @Test
    void adaptiveKlControllerFollowsZieglerUpdate() {
        KlController fixed = new KlController(0.1, null, 100);
        fixed.update(50, 10);
        assertThat(fixed.value()).isEqualTo(0.1);
        KlController c = new KlController(0.1, 2.0, 100);
        c.update(3.0, 10); // error clip(0.5) = 0.2 -> * (1 + 0.2 * 10 / 100)
        assertThat(c.value()).isCloseTo(0.1 * 1.02, within(1e-12));
        c.update(1.9, 10); // error -0.05 -> * (1 - 0.005)
        assertThat(c.value()).isCloseTo(0.1 * 1.02 * 0.995, within(1e-12));
    }

    @Test
    void promptStreamCoversEveryPromptOncePerEpoch() {
        PromptSet p = PromptSet.ofIds(java.util.List.of(new int[1], new int[1], new int[1],
                new int[1], new int[1]));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i : p.batchIndices(3, 0, 5)) {
            seen.add(i);
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        // iteration 1 of batch 3 = stream positions 3..5: two from epoch 0, one from epoch 1
        int[] e0 = dev.align4j.core.train.DataOrder.permutation(3, 0, 5);
        int[] e1 = dev.align4j.core.train.DataOrder.permutation(3, 1, 5);
        assertThat(p.batchIndices(3, 1, 3)).containsExactly(e0[3], e0[4], e1[0]);
        assertThat(PromptSet.cut(new int[] {9, 1, 2, 3, 4}, 3, true)).containsExactly(9, 3, 4);
    }
}
