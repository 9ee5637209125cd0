package dev.align4j.annotate;

import java.util.List;

/**
 * Chance-corrected agreement on nominal labels coded 0..k-1. Commons Math has none of these, so
 * they are written out from their definitions (the tests check hand-computed examples):
 * <ul>
 *   <li>Cohen's kappa (1960), two raters on the same items: {@code (p_o - p_e) / (1 - p_e)} with
 *       {@code p_e = sum_c p1(c) p2(c)} from each rater's own marginals;
 *   <li>Fleiss' kappa (1971), m >= 2 raters on every item: {@code (P - P_e) / (1 - P_e)} with
 *       {@code P} the mean share of agreeing rater pairs per item and {@code P_e = sum_c p(c)^2};
 *   <li>Krippendorff's alpha (nominal), any number of raters per item, items with fewer than two
 *       values ignored: {@code 1 - (n - 1) sum_{c!=k} o_ck / sum_{c!=k} n_c n_k} from the
 *       coincidence matrix {@code o}.
 * </ul>
 * Each returns NaN when it is undefined (expected disagreement zero: everyone used one category).
 */
public final class Agreement {

    private Agreement() {
    }

    /** Share of items where the two raters agree. */
    public static double observed(int[] r1, int[] r2) {
        check(r1, r2);
        int same = 0;
        for (int i = 0; i < r1.length; i++) {
            same += r1[i] == r2[i] ? 1 : 0;
        }
        return (double) same / r1.length;
    }

    public static double cohenKappa(int[] r1, int[] r2, int k) {
        check(r1, r2);
        double n = r1.length;
        double[] m1 = new double[k];
        double[] m2 = new double[k];
        for (int i = 0; i < r1.length; i++) {
            m1[r1[i]]++;
            m2[r2[i]]++;
        }
        double pe = 0;
        for (int c = 0; c < k; c++) {
            pe += (m1[c] / n) * (m2[c] / n);
        }
        return pe >= 1 ? Double.NaN : (observed(r1, r2) - pe) / (1 - pe);
    }

    /** {@code counts[i][c]}: raters who put item i in category c; every row must sum to the same m >= 2. */
    public static double fleissKappa(int[][] counts) {
        if (counts.length == 0) {
            return Double.NaN;
        }
        int k = counts[0].length;
        int m = 0;
        for (int c : counts[0]) {
            m += c;
        }
        if (m < 2) {
            throw new IllegalArgumentException("Fleiss' kappa needs at least two raters per item, got " + m);
        }
        double[] p = new double[k];
        double meanP = 0;
        for (int[] row : counts) {
            int sum = 0;
            double sq = 0;
            for (int c = 0; c < k; c++) {
                sum += row[c];
                sq += (double) row[c] * row[c];
                p[c] += row[c];
            }
            if (sum != m) {
                throw new IllegalArgumentException("every item needs " + m + " ratings, one has " + sum);
            }
            meanP += (sq - m) / (m * (m - 1.0));
        }
        meanP /= counts.length;
        double pe = 0;
        for (int c = 0; c < k; c++) {
            double share = p[c] / ((double) counts.length * m);
            pe += share * share;
        }
        return pe >= 1 ? Double.NaN : (meanP - pe) / (1 - pe);
    }

    /** {@code units.get(u)}: the categories item u was given, one per rater who rated it. */
    public static double krippendorffAlpha(List<int[]> units, int k) {
        double[][] o = new double[k][k];
        for (int[] u : units) {
            int mu = u.length;
            if (mu < 2) {
                continue; // a value nobody else rated cannot be compared
            }
            for (int i = 0; i < mu; i++) {
                for (int j = 0; j < mu; j++) {
                    if (i != j) {
                        o[u[i]][u[j]] += 1.0 / (mu - 1);
                    }
                }
            }
        }
        double[] nc = new double[k];
        double n = 0;
        double disagree = 0;
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < k; d++) {
                nc[c] += o[c][d];
                if (c != d) {
                    disagree += o[c][d];
                }
            }
            n += nc[c];
        }
        double expected = 0;
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < k; d++) {
                if (c != d) {
                    expected += nc[c] * nc[d];
                }
            }
        }
        return expected == 0 ? Double.NaN : 1 - (n - 1) * disagree / expected;
    }

    private static void check(int[] r1, int[] r2) {
        if (r1.length != r2.length || r1.length == 0) {
            throw new IllegalArgumentException("need two equal, non-empty rating lists: " + r1.length + " vs "
                    + r2.length);
        }
    }
}
