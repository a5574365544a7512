package io.sluice.jobs.sink.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobs.results.CountRow;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.results.RankedExperiment;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;

class ResultsLayoutTest {
    private static final ExperimentKey EXPERIMENT = new ExperimentKey("acct/1", "exp\t2");

    @Test
    void countRowsDecodeToWhatWasEncoded() {
        byte[] row = ResultsLayout.countRow(-60_000, EXPERIMENT, "var-1");

        CountRow decoded = ResultsLayout.decodeCountRow(row);

        assertThat(decoded.windowStart()).isEqualTo(-60_000);
        assertThat(decoded.experiment()).isEqualTo(EXPERIMENT);
        assertThat(decoded.variationId()).isEqualTo("var-1");
    }

    @Test
    void anExperimentsRowsSortByWindowThenVariationInsideItsScanRange() {
        byte[] early = ResultsLayout.countRow(-60_000, EXPERIMENT, "z");
        byte[] late = ResultsLayout.countRow(60_000, EXPERIMENT, "a");
        byte[] start = ResultsLayout.countScanStart(EXPERIMENT, -60_000);
        byte[] stop = ResultsLayout.countScanStart(EXPERIMENT, 60_001);

        assertThat(Bytes.compareTo(early, late)).isNegative();
        assertThat(Bytes.compareTo(start, early)).isNotPositive();
        assertThat(Bytes.compareTo(late, stop)).isNegative();
        // another experiment whose id starts the same is outside the range: ids are length-prefixed
        byte[] other = ResultsLayout.countRow(0, new ExperimentKey("acct/1", "exp\t22"), "a");
        assertThat(Bytes.startsWith(other, ResultsLayout.experimentPrefix(EXPERIMENT)))
                .isFalse();
    }

    @Test
    void topRowsAndRanksRoundTrip() {
        RankedExperiment ranked = new RankedExperiment(new ExperimentKey("a", "e\t1"), 42);

        assertThat(ResultsLayout.decodeRank(ResultsLayout.rankValue(ranked))).isEqualTo(ranked);
        assertThat(ResultsLayout.decodeTopRow(ResultsLayout.topRow(-2_000))).isEqualTo(-2_000);
    }
}
