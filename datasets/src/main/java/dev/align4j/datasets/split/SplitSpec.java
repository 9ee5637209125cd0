package dev.align4j.datasets.split;

/**
 * How many records go to validation and test: fractions ({@link #ratio}) or counts ({@link #count}).
 * The rest is training data.
 */
public record SplitSpec(double validationRatio, double testRatio, int validationCount, int testCount) {

    public SplitSpec {
        if (validationRatio < 0 || testRatio < 0 || validationRatio + testRatio >= 1) {
            throw new IllegalArgumentException("validation " + validationRatio + " + test " + testRatio
                    + " must be in [0, 1)");
        }
        if (validationCount < 0 || testCount < 0) {
            throw new IllegalArgumentException("counts must be >= 0: validation " + validationCount + ", test " + testCount);
        }
    }

    public static SplitSpec ratio(double validation, double test) {
        return new SplitSpec(validation, test, 0, 0);
    }

    public static SplitSpec count(int validation, int test) {
        return new SplitSpec(0, 0, validation, test);
    }

    int validationOf(int n) {
        return validationCount > 0 || testCount > 0 ? validationCount : (int) Math.round(n * validationRatio);
    }

    int testOf(int n) {
        return validationCount > 0 || testCount > 0 ? testCount : (int) Math.round(n * testRatio);
    }
}
