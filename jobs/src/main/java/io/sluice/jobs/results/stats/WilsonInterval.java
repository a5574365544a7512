package io.sluice.jobs.results.stats;

/**
 * A confidence interval of a binomial proportion by Wilson's score method: unlike the normal approximation it stays
 * within [0, 1] and is usable for small counts and for proportions near 0 or 1.
 *
 * @param low the lower bound, in [0, 1]
 * @param high the upper bound, in [0, 1]
 */
public record WilsonInterval(double low, double high) {
    /** The two-sided 95 % normal quantile (1.959963984540054). */
    public static final double Z_95 = 1.959963984540054;

    /**
     * The interval of {@code successes} out of {@code trials} at the confidence the normal quantile {@code z} gives.
     *
     * @throws IllegalArgumentException when {@code trials <= 0} or {@code successes} is outside {@code [0, trials]}
     */
    public static WilsonInterval of(long successes, long trials, double z) {
        if (trials <= 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(
                    "a Wilson interval needs 0 <= successes <= trials and trials > 0, got " + successes + "/" + trials);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // at 0 and n successes the bound is exactly 0 or 1; rounding must not move it off
        double low = successes == 0 ? 0 : Math.max(0, centre - half);
        double high = successes == trials ? 1 : Math.min(1, centre + half);
        return new WilsonInterval(low, high);
    }

    /** The 95 % interval. */
    public static WilsonInterval of95(long successes, long trials) {
        return of(successes, trials, Z_95);
    }
}
