package io.sluice.jobs.results.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against expected shares.
 *
 * @param statistic {@code sum((observed - expected)^2 / expected)}
 * @param degreesOfFreedom the number of categories minus one
 * @param pValue the probability of a statistic at least this large if the counts follow the shares: the upper tail of
 *     the chi-square distribution, {@code Q(df / 2, statistic / 2)} (the regularized upper incomplete gamma function,
 *     commons-math3's, computed directly rather than as {@code 1 - CDF} so that tiny p-values keep their precision)
 */
public record GoodnessOfFit(double statistic, int degreesOfFreedom, double pValue) {
    /**
     * @param observed the count of each category
     * @param shares the expected share of each category (positive; normalised here, so weights work as well)
     * @throws IllegalArgumentException for fewer than two categories, arrays of different lengths, a negative count,
     *     a share that is not positive, or no observation at all
     */
    public static GoodnessOfFit test(long[] observed, double[] shares) {
        if (observed.length != shares.length) {
            throw new IllegalArgumentException(
                    observed.length + " observed counts but " + shares.length + " expected shares");
        }
        if (observed.length < 2) {
            throw new IllegalArgumentException("a goodness-of-fit test needs at least two categories");
        }
        long total = 0;
        double shareSum = 0;
        for (int i = 0; i < observed.length; i++) {
            if (observed[i] < 0) {
                throw new IllegalArgumentException("negative count " + observed[i]);
            }
            if (!(shares[i] > 0) || Double.isInfinite(shares[i])) {
                throw new IllegalArgumentException("expected shares must be positive and finite, got " + shares[i]);
            }
            total += observed[i];
            shareSum += shares[i];
        }
        if (total == 0) {
            throw new IllegalArgumentException("no observations");
        }
        double statistic = 0;
        for (int i = 0; i < observed.length; i++) {
            double expected = total * shares[i] / shareSum;
            double d = observed[i] - expected;
            statistic += d * d / expected;
        }
        int df = observed.length - 1;
        return new GoodnessOfFit(statistic, df, upperTail(statistic, df));
    }

    /** {@code P(X >= x)} for X chi-square distributed with {@code df} degrees of freedom. */
    public static double upperTail(double x, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        }
        if (x <= 0) {
            return 1;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
    }
}
