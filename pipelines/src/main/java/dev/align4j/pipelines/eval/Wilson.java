package dev.align4j.pipelines.eval;

/**
 * The Wilson score interval for a proportion (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it
 * over the normal approximation for small n or p near 0 and 1):
 *
 * <pre>
 * centre = (p + z^2 / 2n) / (1 + z^2 / n)
 * half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2)
 * </pre>
 *
 * A win rate with ties counted half is passed as its p; the interval then treats a tie as half a
 * win, which is what the rate means.
 */
public final class Wilson {

    /** z for a two-sided 95 % interval. */
    public static final double Z95 = 1.959963984540054;

    private Wilson() {
    }

    /** @return {lower, upper} */
    public static double[] interval(double p, int n, double z) {
        if (n < 1 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("need n >= 1 and 0 <= p <= 1, got n " + n + ", p " + p);
        }
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
