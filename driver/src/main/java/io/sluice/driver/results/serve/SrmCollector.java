package io.sluice.driver.results.serve;

import io.prometheus.client.Collector;
import io.prometheus.client.GaugeMetricFamily;
import io.sluice.jobs.results.stats.ExperimentStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results server's gauges, computed at every scrape from the table: {@code sluice_results_srm_flag} (1 when an
 * experiment's sample ratio mismatch check fails), {@code sluice_results_srm_p_value} (only for experiments with a
 * test: two variations or more and visitors counted) and {@code sluice_results_table_readable}.
 */
final class SrmCollector extends Collector {
    private static final Logger LOG = LoggerFactory.getLogger(SrmCollector.class);
    private static final List<String> LABELS = List.of("account", "experiment");
    private final ResultsApi api;

    SrmCollector(ResultsApi api) {
        this.api = api;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        List<ExperimentStats> all;
        try {
            all = api.allStats();
        } catch (IOException | RuntimeException e) {
            LOG.warn("reading the results table for /metrics failed: {}", e.toString());
            out.add(new GaugeMetricFamily(
                    "sluice_results_table_readable", "1 when the last scrape could read the results table", 0));
            return out;
        }
        out.add(new GaugeMetricFamily(
                "sluice_results_table_readable", "1 when the last scrape could read the results table", 1));
        GaugeMetricFamily flag = new GaugeMetricFamily(
                "sluice_results_srm_flag",
                "1 when the experiment's sample ratio mismatch check fails (p-value below the threshold)",
                LABELS);
        GaugeMetricFamily pValue = new GaugeMetricFamily(
                "sluice_results_srm_p_value",
                "p-value of the chi-square test of visitors per variation against the expected split",
                LABELS);
        for (ExperimentStats s : all) {
            List<String> labels =
                    List.of(s.experiment().accountId(), s.experiment().experimentId());
            flag.addMetric(labels, s.srm().mismatch() ? 1 : 0);
            if (s.srm().pValue() != null) {
                pValue.addMetric(labels, s.srm().pValue());
            }
        }
        out.add(flag);
        out.add(pValue);
        return out;
    }
}
