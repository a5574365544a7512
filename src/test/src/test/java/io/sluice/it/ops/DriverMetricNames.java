package io.sluice.it.ops;

import java.util.Set;

/**
 * The metric names a leading driver's {@code /metrics} exposes (io.sluice.driver.http.StatusServer), for checking
 * that the dashboard and the alert rules ask for nothing else. {@link PrometheusScrapeIT} checks this list against a
 * real driver's scrape, so it cannot drift from what drivers expose.
 */
final class DriverMetricNames {
    private DriverMetricNames() {}

    static final Set<String> ALL = Set.of(
            "sluice_leader",
            "sluice_epoch",
            "sluice_zookeeper_connected",
            "sluice_leader_takeovers_total",
            "sluice_batches_total",
            "sluice_records_in_total",
            "sluice_records_out_total",
            "sluice_archive_files_total",
            "sluice_dead_letters_total",
            "sluice_late_events_total",
            "sluice_future_events_total",
            "sluice_duplicate_events_total",
            "sluice_processing_delay_ms",
            "sluice_scheduling_delay_ms",
            "sluice_last_commit_timestamp_seconds",
            "sluice_consumer_lag_records",
            "sluice_job_files_total",
            "sluice_job_cells_total",
            "sluice_job_rows_total",
            "sluice_job_lag_records",
            "sluice_job_replica_lag_files",
            "sluice_job_lag_ms",
            "sluice_job_dead_letters_total");

    /**
     * Of {@link #ALL}, those a Kafka run with an S3 replica and no job's own dead letters does not show: {@code
     * lag_ms} is push ingestion's, and a job's {@code dead_letters} counter appears with its first dead letter.
     */
    static final Set<String> NOT_IN_EVERY_RUN = Set.of("sluice_job_lag_ms", "sluice_job_dead_letters_total");
}
