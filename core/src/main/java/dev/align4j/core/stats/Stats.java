package dev.align4j.core.stats;

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
