package dev.align4j.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** GRPO's group-relative, RLOO's leave-one-out and REINFORCE++'s returns against hand-computed values. */
class GroupAdvantagesTest {

    @Test
    void groupRelativeUsesEachGroupsMeanAndSampleStd() {
        // group 0: 1, 2, 3 -> mean 2, sample std 1; group 1: 5, 5, 5 -> all equal
        float[] r = {1, 2, 3, 5, 5, 5};
        GroupAdvantages.Result g = GroupAdvantages.groupRelative(r, 3, GroupAdvantages.Scale.GROUP);
        assertThat(g.advantages()[0]).isCloseTo(-1 / (1 + 1e-4), within(1e-12));
        assertThat(g.advantages()[1]).isEqualTo(0.0);
        assertThat(g.advantages()[2]).isCloseTo(1 / (1 + 1e-4), within(1e-12));
        assertThat(g.advantages()[3]).isEqualTo(0.0);
        assertThat(g.advantages()[5]).isEqualTo(0.0);
        assertThat(g.zeroStdGroups()).isEqualTo(1);
        assertThat(g.groupStdMean()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void batchScaleDividesByTheBatchStdAndNoneOnlyCentres() {
        float[] r = {0, 2, 4, 4};
        // batch: mean 2.5, sample var (6.25 + 0.25 + 2.25 + 2.25) / 3 = 11/3
        double std = Math.sqrt(11.0 / 3.0);
        double[] b = GroupAdvantages.groupRelative(r, 2, GroupAdvantages.Scale.BATCH).advantages();
        assertThat(b[0]).isCloseTo(-1 / (std + 1e-4), within(1e-9));
        assertThat(b[2]).isEqualTo(0.0);
        double[] n = GroupAdvantages.groupRelative(r, 2, GroupAdvantages.Scale.NONE).advantages();
        assertThat(n).containsExactly(-1, 1, 0, 0);
    }

    @Test
    void leaveOneOutSubtractsTheMeanOfTheOthers() {
        float[] r = {1, 2, 6, 0, 0, 3};
        double[] a = GroupAdvantages.leaveOneOut(r, 3);
        // 1 - (2 + 6) / 2 = -3; 2 - 3.5 = -1.5; 6 - 1.5 = 4.5; 0 - 1.5; 0 - 1.5; 3 - 0
        assertThat(a).containsExactly(-3, -1.5, 4.5, -1.5, -1.5, 3);
        // with k = 2 it is half the pairwise difference, doubled: r_i - r_j
        assertThat(GroupAdvantages.leaveOneOut(new float[] {1, 4}, 2)).containsExactly(-3, 3);
        assertThatThrownBy(() -> GroupAdvantages.leaveOneOut(r, 1)).hasMessageContaining("k >= 2");
        assertThatThrownBy(() -> GroupAdvantages.leaveOneOut(r, 4)).hasMessageContaining("groups of 4");
    }

    @Test
    void returnsToGoSumTheRestOfTheRow() {
        float[][] x = {{1, -0.5f, 2, 9}, {3, 9, 9, 9}};
        float[][] g = GroupAdvantages.returnsToGo(x, new int[] {3, 1});
        assertThat(g[0]).containsExactly(2.5f, 1.5f, 2f, 0f);
        assertThat(g[1]).containsExactly(3f, 0f, 0f, 0f);
        float[][] b = GroupAdvantages.broadcast(new double[] {0.5, -1}, new int[] {2, 3}, 3);
        assertThat(b[0]).containsExactly(0.5f, 0.5f, 0f);
        assertThat(b[1]).containsExactly(-1f, -1f, -1f);
    }
}
