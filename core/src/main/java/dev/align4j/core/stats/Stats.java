package dev.align4j.core.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * The project's descriptive statistics and proportion intervals, through Apache Commons Math 3.6.1
 * so that every report computes them one way. Empty input gives NaN (the caller decides what an
 * empty sample means in its report). Inputs are never modified.
 */
public final class Stats {

    /** A two-sided confidence interval for a proportion, both ends in [0, 1]. */
    public record Interval(double lower, double upper) {
    }

    private Stats() {
    }

    /** Arithmetic mean. */
    public static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : StatUtils.mean(x);
    }

    /** {@link #mean(double[])} of floats. */
    public static double mean(float[] x) {
        return mean(toDouble(x));
    }

    /** Population standard deviation, sqrt(sum (x - mean)^2 / n): the spread of exactly these values. */
    public static double populationStd(double[] x) {
        return x.length == 0 ? Double.NaN : Math.sqrt(StatUtils.populationVariance(x));
    }

    /** {@link #populationStd(double[])} of floats. */
    public static double populationStd(float[] x) {
        return populationStd(toDouble(x));
    }

    /** Sample standard deviation, sqrt(sum (x - mean)^2 / (n - 1)): the estimate for the population; 0 for one value. */
    public static double sampleStd(double[] x) {
        return x.length == 0 ? Double.NaN : Math.sqrt(StatUtils.variance(x));
    }

    /**
     * The valid entries of a ragged (B, T) array, row by row: the first {@code lengths[i]} of row i
     * (at most the row's length), as the token statistics of an on-policy batch see them.
     */
    public static double[] validEntries(float[][] x, int[] lengths) {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            n += Math.min(lengths[i], x[i].length);
        }
        double[] out = new double[n];
        int at = 0;
        for (int i = 0; i < x.length; i++) {
            for (int t = 0; t < Math.min(lengths[i], x[i].length); t++) {
                out[at++] = x[i][t];
            }
        }
        return out;
    }

    /** {@link #mean(double[])} over the {@link #validEntries valid entries} of a ragged array: a token mean. */
    public static double tokenMean(float[][] x, int[] lengths) {
        return mean(validEntries(x, lengths));
    }

    /** The median: the middle value, or the mean of the two middle values when n is even. */
    public static double median(double[] x) {
        return x.length == 0 ? Double.NaN : new Percentile().evaluate(x, 50);
    }

    /**
     * Nearest-rank percentile, {@code p} in (0, 100]: the smallest value with at least p % of the
     * values at or below it, sorted[ceil(p/100 * n) - 1]. Always one of the values (a token length
     * stays a whole number); Commons Math's estimation type R_1.
     */
    public static double percentile(double[] x, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        return x.length == 0 ? Double.NaN : new Percentile().withEstimationType(EstimationType.R_1).evaluate(x, p);
    }

    /** {@link #percentile(double[], double)} of ints. */
    public static int percentile(int[] x, double p) {
        return (int) percentile(toDouble(x), p);
    }

    /**
     * Wilson score interval for {@code successes} of {@code trials} at {@code confidence} (e.g. 0.95):
     * good coverage for small n and proportions near 0 or 1, unlike the normal approximation.
     */
    public static Interval wilson(int successes, int trials, double confidence) {
        return of(new WilsonScoreInterval().createInterval(trials, successes, confidence));
    }

    /**
     * {@link #wilson(int, int, double)} for an observed rate that need not be a whole count over
     * {@code trials}, such as a win rate with ties counted half (the interval then treats a tie as half
     * a win, which is what the rate means). The same closed form Commons Math uses (Wilson 1927):
     *
     * <pre>
     * centre = (p + z^2 / 2n) / (1 + z^2 / n)
     * half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2)
     * </pre>
     *
     * with z the two-sided normal quantile of {@code confidence}.
     */
    public static Interval wilsonOfRate(double rate, int trials, double confidence) {
        if (trials < 1 || !(rate >= 0 && rate <= 1) || !(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("need trials >= 1, 0 <= rate <= 1 and 0 < confidence < 1, got trials "
                    + trials + ", rate " + rate + ", confidence " + confidence);
        }
        double z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double z2 = z * z;
        double n = trials;
        double denom = 1 + z2 / n;
        double centre = (rate + z2 / (2 * n)) / denom;
        double half = z / denom * Math.sqrt(rate * (1 - rate) / n + z2 / (4 * n * n));
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Clopper-Pearson ("exact", from the binomial) interval: never below the nominal coverage, wider than Wilson. */
    public static Interval clopperPearson(int successes, int trials, double confidence) {
        return of(new ClopperPearsonInterval().createInterval(trials, successes, confidence));
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    public static double[] toDouble(int[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static Interval of(ConfidenceInterval ci) {
        // the closed forms can land a rounding error outside [0, 1]; a proportion cannot
        return new Interval(Math.max(0, ci.getLowerBound()), Math.min(1, ci.getUpperBound()));
    }
}
