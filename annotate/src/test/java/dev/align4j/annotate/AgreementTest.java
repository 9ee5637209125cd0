package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Agreement statistics against examples worked by hand (categories 0 = a, 1 = b, 2 = tie). */
class AgreementTest {

    @Test
    void cohenKappaOfTwoRaters() {
        // r1 = a a b b t a, r2 = a b b b t a: they agree on 5 of 6, p_o = 5/6.
        // marginals r1: a 3, b 2, t 1; r2: a 2, b 3, t 1 -> p_e = (3*2 + 2*3 + 1*1) / 36 = 13/36.
        // kappa = (30/36 - 13/36) / (23/36) = 17/23.
        int[] r1 = {0, 0, 1, 1, 2, 0};
        int[] r2 = {0, 1, 1, 1, 2, 0};
        assertThat(Agreement.observed(r1, r2)).isEqualTo(5.0 / 6);
        assertThat(Agreement.cohenKappa(r1, r2, 3)).isCloseTo(17.0 / 23, within(1e-12));
        // perfect agreement is 1; opposite answers on a balanced set are -1:
        // p_o = 0, p_e = (1*1 + 1*1) / 4 = 1/2, kappa = (0 - 1/2) / (1/2) = -1
        assertThat(Agreement.cohenKappa(r1, r1, 3)).isEqualTo(1.0);
        assertThat(Agreement.cohenKappa(new int[] {0, 1}, new int[] {1, 0}, 3)).isCloseTo(-1, within(1e-12));
        // one category used by both: p_e = 1, undefined
        assertThat(Agreement.cohenKappa(new int[] {0, 0}, new int[] {0, 0}, 3)).isNaN();
    }

    @Test
    void fleissKappaOfThreeRaters() {
        // 4 items, 3 raters; rows are counts per category.
        // P_i = (sum n_ij^2 - 3) / (3 * 2): [3,0,0] -> 1; [2,1,0] -> (4+1-3)/6 = 1/3; [0,3,0] -> 1; [1,1,1] -> 0.
        // P = (1 + 1/3 + 1 + 0) / 4 = 7/12.
        // p_a = 6/12, p_b = 5/12, p_t = 1/12 -> P_e = (36 + 25 + 1) / 144 = 31/72.
        // kappa = (7/12 - 31/72) / (1 - 31/72) = (11/72) / (41/72) = 11/41.
        int[][] counts = {{3, 0, 0}, {2, 1, 0}, {0, 3, 0}, {1, 1, 1}};
        assertThat(Agreement.fleissKappa(counts)).isCloseTo(11.0 / 41, within(1e-12));
    }

    @Test
    void krippendorffAlphaWithMissingValues() {
        // units: u1 = a a a, u2 = a b, u3 = b b t, u4 = t (one value: not pairable, ignored).
        // coincidences o_ck = sum_u (ordered c-k value pairs in u) / (m_u - 1):
        //   u1: 6 pairs (a,a) / 2 -> o_aa = 3
        //   u2: (a,b), (b,a) / 1 -> o_ab = 1, o_ba = 1
        //   u3: (b,b) x2, (b,t) x2, (t,b) x2, each / 2 -> o_bb = 1, o_bt = 1, o_tb = 1
        // n_a = 4, n_b = 3, n_t = 1, n = 8; sum_{c!=k} o_ck = 4;
        // sum_{c!=k} n_c n_k = 2 (4*3 + 4*1 + 3*1) = 38.
        // alpha = 1 - (n - 1) * 4 / 38 = 1 - 28/38 = 5/19.
        List<int[]> units = List.of(new int[] {0, 0, 0}, new int[] {0, 1}, new int[] {1, 1, 2}, new int[] {2});
        assertThat(Agreement.krippendorffAlpha(units, 3)).isCloseTo(5.0 / 19, within(1e-12));
    }

    @Test
    void krippendorffAlphaOfPerfectAgreementIsOneAndOfOneCategoryUndefined() {
        assertThat(Agreement.krippendorffAlpha(List.of(new int[] {0, 0}, new int[] {1, 1}), 3)).isEqualTo(1.0);
        assertThat(Agreement.krippendorffAlpha(List.of(new int[] {0, 0}, new int[] {0, 0}), 3)).isNaN();
    }
}
