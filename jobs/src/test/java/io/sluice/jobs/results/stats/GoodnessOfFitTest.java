package io.sluice.jobs.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** The chi-square upper tail against tabulated critical values and closed forms. */
class GoodnessOfFitTest {
    @Test
    void upperTailMatchesTabulatedCriticalValues() {
        assertThat(GoodnessOfFit.upperTail(3.841458820694124, 1)).isCloseTo(0.05, within(1e-12));
        assertThat(GoodnessOfFit.upperTail(10.827566170662733, 1)).isCloseTo(0.001, within(1e-13));
        assertThat(GoodnessOfFit.upperTail(5.991464547107979, 2)).isCloseTo(0.05, within(1e-12));
        assertThat(GoodnessOfFit.upperTail(18.307038053275146, 10)).isCloseTo(0.05, within(1e-10));
        assertThat(GoodnessOfFit.upperTail(0, 3)).isEqualTo(1.0);
    }

    @Test
    void upperTailMatchesClosedForms() {
        // df 2: exp(-x/2); df 4: exp(-x/2) (1 + x/2)
        assertThat(GoodnessOfFit.upperTail(10, 2)).isCloseTo(Math.exp(-5), within(1e-15));
        assertThat(GoodnessOfFit.upperTail(20, 4)).isCloseTo(Math.exp(-10) * 11, within(1e-15));
        // a tiny p-value keeps its precision (1 - CDF would give 0): df 1, x = 100 is erfc(sqrt(50))
        assertThat(GoodnessOfFit.upperTail(100, 1)).isCloseTo(1.5239706048320995e-23, Percentage.withPercentage(1e-6));
    }

    @Test
    void statisticIsPearsons() {
        GoodnessOfFit fit = GoodnessOfFit.test(new long[] {50_000, 51_000}, new double[] {50, 50});
        assertThat(fit.statistic()).isCloseTo(9.900990099009901, within(1e-9));
        assertThat(fit.degreesOfFreedom()).isEqualTo(1);
        assertThat(fit.pValue()).isCloseTo(0.0016518987323573646, within(1e-12));

        GoodnessOfFit three = GoodnessOfFit.test(new long[] {1000, 1000, 1150}, new double[] {1, 1, 1});
        assertThat(three.statistic()).isCloseTo(14.285714285714285, within(1e-9));
        assertThat(three.pValue()).isCloseTo(0.0007904903231199669, within(1e-12));

        // weights are normalised: 90:10 and 0.9:0.1 are the same split
        GoodnessOfFit skewed = GoodnessOfFit.test(new long[] {880, 120}, new double[] {0.9, 0.1});
        assertThat(skewed.statistic()).isCloseTo(4.444444444444445, within(1e-9));
        assertThat(skewed.pValue()).isCloseTo(0.03501498101966251, within(1e-12));
        assertThat(GoodnessOfFit.test(new long[] {880, 120}, new double[] {90, 10}))
                .isEqualTo(skewed);
    }

    @Test
    void refusesWhatIsNoTest() {
        assertThatThrownBy(() -> GoodnessOfFit.test(new long[] {5}, new double[] {1}))
                .hasMessageContaining("two categories");
        assertThatThrownBy(() -> GoodnessOfFit.test(new long[] {0, 0}, new double[] {1, 1}))
                .hasMessageContaining("no observations");
        assertThatThrownBy(() -> GoodnessOfFit.test(new long[] {1, 2}, new double[] {1, 0}))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> GoodnessOfFit.test(new long[] {1, 2}, new double[] {1}))
                .hasMessageContaining("2 observed counts but 1");
    }
}
