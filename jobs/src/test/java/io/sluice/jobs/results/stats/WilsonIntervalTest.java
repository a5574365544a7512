package io.sluice.jobs.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Wilson's score interval against values computed from its formula by hand (and Wikipedia's bounds at 0 and n). */
class WilsonIntervalTest {
    @Test
    void knownIntervals() {
        assertInterval(WilsonInterval.of95(5, 10), 0.236593090512564, 0.7634069094874361);
        assertInterval(WilsonInterval.of95(81, 263), 0.2552885198782742, 0.36620957698280004);
        assertInterval(WilsonInterval.of95(1, 1000), 0.00017654637062607852, 0.0056425585979579355);
    }

    @Test
    void boundsAtZeroAndAllAreExact() {
        // at 0 successes the upper bound is z^2 / (n + z^2); at n the lower bound is n / (n + z^2)
        double z2 = WilsonInterval.Z_95 * WilsonInterval.Z_95;
        assertInterval(WilsonInterval.of95(0, 10), 0, z2 / (10 + z2));
        assertInterval(WilsonInterval.of95(10, 10), 10 / (10 + z2), 1);
    }

    @Test
    void theIntervalHoldsTheRateAndNarrowsWithTrials() {
        WilsonInterval small = WilsonInterval.of95(10, 100);
        WilsonInterval large = WilsonInterval.of95(1000, 10_000);
        assertThat(small.low()).isLessThan(0.1);
        assertThat(small.high()).isGreaterThan(0.1);
        assertThat(large.high() - large.low()).isLessThan(small.high() - small.low());
    }

    @Test
    void refusesWhatIsNoProportion() {
        assertThatThrownBy(() -> WilsonInterval.of95(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WilsonInterval.of95(11, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertInterval(WilsonInterval interval, double low, double high) {
        assertThat(interval.low()).isCloseTo(low, within(1e-12));
        assertThat(interval.high()).isCloseTo(high, within(1e-12));
    }
}
