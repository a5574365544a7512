package io.sluice.driver.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.exporter.common.TextFormat;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.runtime.PipelineMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's HTTP endpoints (JDK {@code HttpServer}), started before the instance contends for leadership:
 *
 * <ul>
 *   <li>{@code /health}: 200 while the process runs and ZooKeeper is connected, else 503 (Marathon's health check);
 *   <li>{@code /ready}: 200 when leading and batches complete within the readiness bound, else 503 (for alerting and
 *       for finding the working leader);
 *   <li>{@code /instance-ready}: 200 when this instance does its job in its role: a standby connected to ZooKeeper,
 *       or a leader whose batches complete. Marathon's readiness check: a standby is never {@code /ready}, so a
 *       rolling upgrade that waited for {@code /ready} on every new instance would never finish;
 *   <li>{@code /leader}: JSON, who leads and this instance's role and epoch;
 *   <li>{@code /metrics}: Prometheus text format (batches, records per sink, delays, lag per partition, dead letters
 *       by reason, epoch, leadership and takeovers, last commit time).
 * </ul>
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private final HttpServer server;
    private final DriverStatus status;
    private final CollectorRegistry registry = new CollectorRegistry();

    private StatusServer(HttpServer server, DriverStatus status) {
        this.server = server;
        this.status = status;
        new StatusCollector().register(registry);
    }

    /** Starts on {@code port} (0: any free port) of {@code host} (0.0.0.0: every interface). */
    public static StatusServer start(String host, int port, DriverStatus status) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
        StatusServer server = new StatusServer(http, status);
        http.createContext(
                "/health",
                e -> server.answer(
                        e,
                        status.zookeeperConnected() ? 200 : 503,
                        "text/plain",
                        status.zookeeperConnected() ? "ok\n" : "ZooKeeper disconnected\n"));
        http.createContext(
                "/ready",
                e -> server.answer(
                        e,
                        status.ready() ? 200 : 503,
                        "text/plain",
                        status.ready()
                                ? "ready\n"
                                : (status.leader() ? "leading, batches not completing\n" : "standby\n")));
        http.createContext("/instance-ready", e -> {
            boolean ready = status.zookeeperConnected() && (!status.leader() || status.ready());
            String body = !status.zookeeperConnected()
                    ? "ZooKeeper disconnected\n"
                    : status.leader() ? (ready ? "leader, ready\n" : "leading, batches not completing\n") : "standby\n";
            server.answer(e, ready ? 200 : 503, "text/plain", body);
        });
        http.createContext("/leader", e -> server.answer(e, 200, "application/json", server.leaderJson()));
        http.createContext("/metrics", e -> server.answer(e, 200, TextFormat.CONTENT_TYPE_004, server.metricsText()));
        http.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        LOG.info("status endpoints on port {}: /health /ready /instance-ready /leader /metrics", server.port());
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private String leaderJson() {
        return "{\"id\":\"" + escape(status.id()) + "\",\"leader\":" + status.leader() + ",\"epoch\":" + status.epoch()
                + ",\"leader_id\":\"" + escape(status.leaderId()) + "\",\"zookeeper_connected\":"
                + status.zookeeperConnected() + "}\n";
    }

    private String metricsText() throws IOException {
        StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());
        return out.toString();
    }

    private void answer(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        } catch (RuntimeException e) {
            LOG.warn("status request {} failed: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Reads the status on every scrape. */
    private final class StatusCollector extends Collector {
        @Override
        public List<MetricFamilySamples> collect() {
            List<MetricFamilySamples> out = new ArrayList<>();
            out.add(new GaugeMetricFamily("sluice_leader", "1 while this driver leads", status.leader() ? 1 : 0));
            out.add(new GaugeMetricFamily("sluice_epoch", "Epoch taken by this driver (-1: standby)", status.epoch()));
            out.add(new GaugeMetricFamily(
                    "sluice_zookeeper_connected",
                    "1 while ZooKeeper is connected",
                    status.zookeeperConnected() ? 1 : 0));
            out.add(new CounterMetricFamily(
                    "sluice_leader_takeovers", "Times this driver became the leader", status.takeovers()));
            status.metrics().ifPresent(m -> pipeline(out, m));
            Map<TopicPartitionKey, Long> lag = status.lag();
            if (!lag.isEmpty()) {
                GaugeMetricFamily family = new GaugeMetricFamily(
                        "sluice_consumer_lag_records",
                        "Kafka end offset minus the committed offset",
                        List.of("topic", "partition"));
                lag.forEach((key, n) -> family.addMetric(List.of(key.topic(), Integer.toString(key.partition())), n));
                out.add(family);
            }
            return out;
        }

        private void pipeline(List<MetricFamilySamples> out, PipelineMetrics.Snapshot m) {
            out.add(new CounterMetricFamily("sluice_batches", "Batches committed", m.batches()));
            out.add(new CounterMetricFamily("sluice_records_in", "Records read from Kafka and committed", m.records()));
            CounterMetricFamily sinks =
                    new CounterMetricFamily("sluice_records_out", "Records written per sink", List.of("sink"));
            sinks.addMetric(List.of("event_store"), m.hbaseCells());
            sinks.addMetric(List.of("archive_events"), m.valid());
            sinks.addMetric(List.of("dead_letter"), m.deadLetters());
            sinks.addMetric(List.of("results_rows"), m.resultRows());
            out.add(sinks);
            out.add(new CounterMetricFamily("sluice_archive_files", "Archive files written", m.archiveFiles()));
            // every job's own counters, labelled by job: sluice_job_<counter>_total{sluice_job="..."} (not "job":
            // Prometheus
            // gives every scraped series its target's job label, and would rename ours to exported_job)
            Map<String, CounterMetricFamily> byCounter = new java.util.TreeMap<>();
            m.jobs()
                    .forEach((job, counts) -> counts.forEach((name, n) -> byCounter
                            .computeIfAbsent(
                                    name,
                                    c -> new CounterMetricFamily(
                                            "sluice_job_" + c.replace('-', '_'),
                                            "A job's counter " + c + ", per job",
                                            List.of("sluice_job")))
                            .addMetric(List.of(job), n)));
            out.addAll(byCounter.values());
            Map<String, GaugeMetricFamily> byGauge = new java.util.TreeMap<>();
            m.gauges()
                    .forEach((job, values) -> values.forEach((name, n) -> byGauge.computeIfAbsent(
                                    name,
                                    g -> new GaugeMetricFamily(
                                            "sluice_job_" + g.replace('-', '_'),
                                            "A job's gauge " + g + ", per job",
                                            List.of("sluice_job")))
                            .addMetric(List.of(job), n)));
            out.addAll(byGauge.values());
            out.add(deadLetters(m));
            out.add(new CounterMetricFamily(
                    "sluice_late_events", "Events behind their partition's watermark", m.late()));
            out.add(new CounterMetricFamily(
                    "sluice_future_events",
                    "Events further ahead of their arrival than sluice.job.results.max-future-ms",
                    m.future()));
            out.add(new CounterMetricFamily(
                    "sluice_duplicate_events",
                    "Copies of an event_id that another source position owns, dropped",
                    m.duplicates()));
            out.add(new GaugeMetricFamily(
                    "sluice_processing_delay_ms",
                    "Processing time of the last completed batch",
                    m.processingDelayMs()));
            out.add(new GaugeMetricFamily(
                    "sluice_scheduling_delay_ms",
                    "Scheduling delay of the last completed batch",
                    m.schedulingDelayMs()));
            out.add(new GaugeMetricFamily(
                    "sluice_last_commit_timestamp_seconds",
                    "When the last offset commit happened (epoch seconds; 0: none yet)",
                    m.lastCommitMillis() / 1000.0));
        }

        /**
         * {@code sluice_dead_letters_total{reason}}: every reason the pipeline dead-letters (from 0, so that a rate
         * exists before the first one); {@code sum()} is the total. A job's own dead letters ({@code job_error}, a
         * field it requires missing) are its counter {@code sluice_job_dead_letters_total{sluice_job}}.
         */
        private CounterMetricFamily deadLetters(PipelineMetrics.Snapshot m) {
            Map<String, Long> byReason = new java.util.TreeMap<>();
            for (DeadLetterReason reason : DeadLetterReason.values()) {
                if (reason != DeadLetterReason.JOB_ERROR) {
                    byReason.put(reason.code(), 0L);
                }
            }
            m.deadLettersByReason().forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
            CounterMetricFamily family = new CounterMetricFamily(
                    "sluice_dead_letters",
                    "Dead letters by reason, late and future events included (sum: all of them)",
                    List.of("reason"));
            byReason.forEach((reason, n) -> family.addMetric(List.of(reason), n));
            return family;
        }
    }
}
