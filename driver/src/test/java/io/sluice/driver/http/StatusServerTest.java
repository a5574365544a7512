package io.sluice.driver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.event.DeadLetterReason;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.runtime.PipelineMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aLeaderIsHealthyReadyAndExportsItsMetrics() throws Exception {
        PipelineMetrics.Snapshot m = new PipelineMetrics.Snapshot(
                7,
                1000,
                950,
                50,
                12,
                950,
                20,
                4,
                6,
                300,
                1_700_000_000_000L,
                120,
                3,
                java.util.Map.of(
                        "archive", java.util.Map.of("files", 12L, "events", 950L),
                        "event-store", java.util.Map.of("cells", 950L),
                        "results", java.util.Map.of("rows", 300L)),
                java.util.Map.of("archive", java.util.Map.of("replica_lag_files", 3L)),
                java.util.Map.of(
                        DeadLetterReason.MALFORMED_JSON.code(),
                        26L,
                        DeadLetterReason.TOO_LARGE.code(),
                        20L,
                        DeadLetterReason.FUTURE.code(),
                        4L));
        try (StatusServer server = StatusServer.start(
                "127.0.0.1",
                0,
                new Fixed(true, true, true, 4, 1, Optional.of(m), Map.of(new TopicPartitionKey("events", 1), 42L)))) {
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
            assertThat(get(server, "/instance-ready").statusCode()).isEqualTo(200);
            assertThat(get(server, "/leader").body())
                    .contains("\"leader\":true", "\"epoch\":4", "\"leader_id\":\"host:1\"");
            String metrics = get(server, "/metrics").body();
            assertThat(metrics)
                    .contains("sluice_leader 1.0")
                    .contains("sluice_epoch 4.0")
                    .contains("sluice_batches_total 7.0")
                    .contains("sluice_records_out_total{sink=\"event_store\",} 950.0")
                    .contains("sluice_job_cells_total{sluice_job=\"event-store\",} 950.0")
                    .contains("sluice_job_files_total{sluice_job=\"archive\",} 12.0")
                    .contains("sluice_job_rows_total{sluice_job=\"results\",} 300.0")
                    .contains("sluice_job_replica_lag_files{sluice_job=\"archive\",} 3.0")
                    .contains("sluice_late_events_total 20.0")
                    .contains("sluice_future_events_total 4.0")
                    .contains("sluice_duplicate_events_total 6.0")
                    .contains("sluice_processing_delay_ms 120.0")
                    .contains("sluice_consumer_lag_records{topic=\"events\",partition=\"1\",} 42.0")
                    .contains("sluice_last_commit_timestamp_seconds 1.7E9")
                    .contains("sluice_leader_takeovers_total 1.0")
                    .doesNotContain("sluice_dead_letters_total 50.0");
            assertThat(samples(metrics, "sluice_dead_letters_total"))
                    .as("dead letters by reason: every reason the pipeline dead-letters, from 0")
                    .containsEntry("sluice_dead_letters_total{reason=\"malformed_json\",}", 26.0)
                    .containsEntry("sluice_dead_letters_total{reason=\"too_large\",}", 20.0)
                    .containsEntry("sluice_dead_letters_total{reason=\"future\",}", 4.0)
                    .containsEntry("sluice_dead_letters_total{reason=\"invalid_encoding\",}", 0.0)
                    .containsEntry("sluice_dead_letters_total{reason=\"schema_violation\",}", 0.0)
                    .doesNotContainKey("sluice_dead_letters_total{reason=\"job_error\",}")
                    .hasSize(DeadLetterReason.values().length - 1);
            assertThat(samples(metrics, "sluice_dead_letters_total").values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum())
                    .as("sum() over the reasons is the total")
                    .isEqualTo((double) m.deadLetters());
        }
    }

    /** The samples of {@code name} in a Prometheus text exposition: series (name and labels) to value. */
    private static Map<String, Double> samples(String exposition, String name) {
        Map<String, Double> samples = new java.util.TreeMap<>();
        exposition
                .lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .forEach(line -> {
                    int space = line.lastIndexOf(' ');
                    samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                });
        return samples;
    }

    @Test
    void aStandbyIsHealthyButNotReadyAndHasNoPipelineMetrics() throws Exception {
        try (StatusServer server =
                StatusServer.start("127.0.0.1", 0, new Fixed(true, false, false, -1, 0, Optional.empty(), Map.of()))) {
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(503);
            assertThat(get(server, "/instance-ready").statusCode())
                    .as("a standby is ready for Marathon")
                    .isEqualTo(200);
            assertThat(get(server, "/leader").body()).contains("\"leader\":false", "\"epoch\":-1");
            assertThat(get(server, "/metrics").body())
                    .contains("sluice_leader 0.0")
                    .contains("sluice_leader_takeovers_total 0.0")
                    .doesNotContain("sluice_batches")
                    .doesNotContain("sluice_dead_letters");
        }
    }

    @Test
    void withoutZooKeeperTheHealthCheckFails() throws Exception {
        try (StatusServer server =
                StatusServer.start("127.0.0.1", 0, new Fixed(false, false, false, -1, 0, Optional.empty(), Map.of()))) {
            assertThat(get(server, "/health").statusCode()).isEqualTo(503);
            assertThat(get(server, "/instance-ready").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aLeaderWhoseBatchesDoNotCompleteIsNotReadyInEitherSense() throws Exception {
        try (StatusServer server =
                StatusServer.start("127.0.0.1", 0, new Fixed(true, true, false, 3, 1, Optional.empty(), Map.of()))) {
            assertThat(get(server, "/ready").statusCode()).isEqualTo(503);
            assertThat(get(server, "/instance-ready").statusCode()).isEqualTo(503);
            assertThat(get(server, "/instance-ready").body()).contains("batches not completing");
        }
    }

    private HttpResponse<String> get(StatusServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private record Fixed(
            boolean zookeeperConnected,
            boolean leader,
            boolean ready,
            long epoch,
            long takeovers,
            Optional<PipelineMetrics.Snapshot> metrics,
            Map<TopicPartitionKey, Long> lag)
            implements DriverStatus {
        @Override
        public String id() {
            return "host:1";
        }

        @Override
        public String leaderId() {
            return "host:1";
        }
    }
}
