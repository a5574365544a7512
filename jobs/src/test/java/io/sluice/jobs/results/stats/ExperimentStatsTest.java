package io.sluice.jobs.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sluice.api.config.ConfigException;
import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.ExperimentKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentStatsTest {
    private static final ExperimentKey EXP = new ExperimentKey("acct-1", "exp-6");

    private static CountRow row(long start, String variation, long impressions, long conversions, long v, long nv) {
        return new CountRow(start, EXP, variation, Map.of("impression", impressions, "conversion", conversions), v, nv);
    }

    @Test
    void lifetimeVisitorsAreTheSumOfNewVisitorsAndTheRateIsOverThem() {
        List<CountRow> rows = List.of(
                row(60_000, "var-1", 40, 3, 30, 10),
                row(0, "var-0", 100, 5, 80, 80),
                row(60_000, "var-0", 90, 7, 70, 20),
                row(0, "var-1", 110, 4, 90, 90));
        ExperimentStats stats = ExperimentStats.of(EXP, rows, StatsSettings.DEFAULTS);

        assertThat(stats.variations()).extracting(VariationStats::variationId).containsExactly("var-0", "var-1");
        VariationStats v0 = stats.variations().get(0);
        assertThat(v0.events()).isEqualTo(Map.of("impression", 190L, "conversion", 12L));
        assertThat(v0.totalEvents()).isEqualTo(202);
        assertThat(v0.visitors())
                .as("80 new in the first window, 20 in the second")
                .isEqualTo(100);
        assertThat(v0.conversion().denominatorKind()).isEqualTo(ConversionRate.Denominator.VISITORS);
        assertThat(v0.conversion().rate()).isEqualTo(0.12);
        assertThat(v0.conversion().interval()).isEqualTo(WilsonInterval.of95(12, 100));
        assertThat(v0.windows()).extracting(WindowStats::windowStart).containsExactly(0L, 60_000L);
        assertThat(v0.windows().get(1).visitors()).isEqualTo(70);
        assertThat(v0.windows().get(1).newVisitors()).isEqualTo(20);
        assertThat(v0.windows().get(1).conversion().rate()).isCloseTo(0.1, within(1e-15));
        assertThat(stats.events()).isEqualTo(Map.of("impression", 340L, "conversion", 19L));
        assertThat(stats.visitors()).isEqualTo(200);
        assertThat(stats.srm().observed()).isEqualTo(Map.of("var-0", 100L, "var-1", 100L));
        assertThat(stats.srm().pValue()).isEqualTo(1.0);
        assertThat(stats.srm().mismatch()).isFalse();
        assertThat(stats.srm().configured()).isFalse();
    }

    @Test
    void withoutVisitorsTheRateFallsBackToImpressionsAndSaysSo() {
        ExperimentStats stats = ExperimentStats.of(
                EXP, List.of(row(0, "var-0", 200, 10, 0, 0), row(0, "var-1", 0, 0, 0, 0)), StatsSettings.DEFAULTS);
        ConversionRate rate = stats.variations().get(0).conversion();
        assertThat(rate.denominatorKind()).isEqualTo(ConversionRate.Denominator.IMPRESSIONS);
        assertThat(rate.denominator()).isEqualTo(200);
        assertThat(rate.rate()).isEqualTo(0.05);
        assertThat(rate.interval()).isEqualTo(WilsonInterval.of95(10, 200));
        ConversionRate none = stats.variations().get(1).conversion();
        assertThat(none.denominatorKind()).isEqualTo(ConversionRate.Denominator.NONE);
        assertThat(none.rate()).isNull();
        assertThat(none.interval()).isNull();
        assertThat(stats.srm().pValue()).as("no visitors: no test").isNull();
        assertThat(stats.srm().mismatch()).isFalse();
        assertThat(stats.srm().note()).contains("no visitors");
    }

    @Test
    void moreConversionsThanVisitorsIsNoProportion() {
        ConversionRate rate = ConversionRate.of(12, 10, 50);
        assertThat(rate.rate()).isEqualTo(1.2);
        assertThat(rate.interval()).isNull();
        assertThat(rate.note()).contains("more conversions than visitors");
    }

    @Test
    void anEqualSplitThatDriftsIsFlaggedBelowTheThreshold() {
        List<CountRow> rows = List.of(row(0, "var-0", 1, 0, 1000, 1000), row(0, "var-1", 1, 0, 1200, 1200));
        SampleRatioCheck srm =
                ExperimentStats.of(EXP, rows, StatsSettings.DEFAULTS).srm();
        // (100^2/1100) * 2 = 18.18, df 1
        assertThat(srm.chiSquare()).isCloseTo(18.181818181818183, within(1e-9));
        assertThat(srm.degreesOfFreedom()).isEqualTo(1);
        assertThat(srm.pValue()).isCloseTo(GoodnessOfFit.upperTail(18.181818181818183, 1), within(1e-15));
        assertThat(srm.pValue()).isLessThan(0.001);
        assertThat(srm.mismatch()).isTrue();
        assertThat(srm.expected()).isEqualTo(Map.of("var-0", 1100.0, "var-1", 1100.0));
    }

    @Test
    void aConfiguredSplitIsTestedAgainstItsShares() {
        StatsSettings settings = StatsSettings.parse(
                "--split", List.of("acct-1/exp-6=var-0:90,var-1:10", "acct-2/exp-1=a:1,b:1"), "--srm-threshold", 0.05);
        List<CountRow> rows = List.of(row(0, "var-0", 1, 0, 880, 880), row(0, "var-1", 1, 0, 120, 120));
        SampleRatioCheck srm = ExperimentStats.of(EXP, rows, settings).srm();
        assertThat(srm.configured()).isTrue();
        assertThat(srm.expectedShares()).containsExactly(Map.entry("var-0", 0.9), Map.entry("var-1", 0.1));
        assertThat(srm.pValue()).isCloseTo(0.03501498101966251, within(1e-12));
        assertThat(srm.mismatch()).as("below 0.05").isTrue();
        // the same visitors fit an 88:12 split
        StatsSettings fits = StatsSettings.parse("--split", List.of("acct-1/exp-6=var-0:88,var-1:12"), "t", 0.001);
        assertThat(ExperimentStats.of(EXP, rows, fits).srm().pValue()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aVariationMissingFromTheSplitOrFromTheDataIsAMismatchOrACount() {
        StatsSettings settings =
                StatsSettings.parse("--split", List.of("acct-1/exp-6=var-0:1,var-1:1,var-2:1"), "t", 0.001);
        SampleRatioCheck missing = ExperimentStats.of(
                        EXP, List.of(row(0, "var-0", 1, 0, 500, 500), row(0, "var-1", 1, 0, 500, 500)), settings)
                .srm();
        assertThat(missing.observed()).containsEntry("var-2", 0L);
        assertThat(missing.degreesOfFreedom()).isEqualTo(2);
        assertThat(missing.mismatch())
                .as("a planned variation without visitors")
                .isTrue();

        StatsSettings two = StatsSettings.parse("--split", List.of("acct-1/exp-6=var-0:1,var-1:1"), "t", 0.001);
        SampleRatioCheck unplanned = ExperimentStats.of(
                        EXP,
                        List.of(
                                row(0, "var-0", 1, 0, 500, 500),
                                row(0, "var-1", 1, 0, 500, 500),
                                row(0, "x", 1, 0, 3, 3)),
                        two)
                .srm();
        assertThat(unplanned.mismatch()).isTrue();
        assertThat(unplanned.pValue()).isZero();
        assertThat(unplanned.note()).contains("[x]");
    }

    @Test
    void oneVariationIsNoTest() {
        SampleRatioCheck srm = ExperimentStats.of(EXP, List.of(row(0, "var-0", 5, 1, 5, 5)), StatsSettings.DEFAULTS)
                .srm();
        assertThat(srm.pValue()).isNull();
        assertThat(srm.mismatch()).isFalse();
        assertThat(srm.note()).contains("fewer than two variations");
    }

    @Test
    void rowsOfAnotherExperimentAreRefused() {
        CountRow other = new CountRow(0, new ExperimentKey("a", "b"), "v", Map.of());
        assertThatThrownBy(() -> ExperimentStats.of(EXP, List.of(other), StatsSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedSplitsNameTheOptionTheExperimentAndTheForm() {
        for (String bad : List.of(
                "acct-1/exp-6=var-0:fifty,var-1:50",
                "acct-1/exp-6=var-0:50",
                "acct-1/exp-6=var-0:50,var-0:50",
                "acct-1/exp-6=var-0:0,var-1:50",
                "acct-1/exp-6=var-0,var-1",
                "acct-1/exp-6=var-0:50,:50",
                "acct-1/exp-6=var-0:-1,var-1:50",
                "acct-1/exp-6")) {
            assertThatThrownBy(() -> StatsSettings.parse("--split", List.of(bad), "t", 0.001))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("--split acct-1/exp-6: ")
                    .hasMessageContaining("VARIATION:WEIGHT,VARIATION:WEIGHT");
        }
        assertThatThrownBy(() -> StatsSettings.parse("--split", List.of("exp-6=a:1,b:1"), "t", 0.001))
                .hasMessageStartingWith("--split exp-6: 'exp-6' is not ACCOUNT/EXPERIMENT");
        assertThatThrownBy(() -> StatsSettings.parse("--split", List.of("a/b=x:1,y:1", "a/b=x:1,y:2"), "t", 0.001))
                .hasMessage("--split a/b: given twice");
        assertThatThrownBy(() -> StatsSettings.parse("--split", List.of(), "--srm-threshold", 1.5))
                .hasMessageStartingWith("--srm-threshold: expected a p-value threshold between 0 and 1");
    }
}
