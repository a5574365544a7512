package io.sluice.it.examples;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.pageviews.PageViewsTable;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.verify.ArchiveContents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example job of {@code examples/page-views}, a user's jar found on the driver's classpath and named in {@code
 * sluice.jobs}, on a clickstream schema (no identity field, ISO-8601 times): page views per URL per minute, with the
 * driver killed with -9 mid-run and restarted, equal to what the producer sent. Clicks without a URL are valid events
 * (archived) and dead letters for the job alone. A second job of the run ({@link PoisonedJob}) throws on some clicks:
 * those are its own dead letters ({@code job_error}), and the page views and the archive go on exact.
 */
@RealServers
class PageViewsJobIT {
    private static final int CLICKS = 24_000;
    private static final long START = Instant.parse("2026-12-02T08:00:00Z").toEpochMilli();

    @Test
    @Timeout(600)
    void countsAreExactAfterAKillNineAndClicksWithoutAUrlAreTheJobsOwnDeadLetters() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("pageviews", 3, false)
                .set("sluice.jobs", "archive,page-views," + PoisonedJob.NAME)
                .set("sluice.schema.id-field", "")
                .set("sluice.schema.time-field", "timestamp")
                .set("sluice.schema.time-format", "iso-8601")
                .set("sluice.schema.required-fields", "")
                .set("sluice.schema.non-blank-fields", "")
                .set("sluice.job.page-views.table", "page_views_it")
                .set("sluice.kafka.max-rate-per-partition", "1000");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);

        Map<PageViewsTable.Row, Long> truth = new TreeMap<>(
                java.util.Comparator.comparingLong(PageViewsTable.Row::window).thenComparing(PageViewsTable.Row::url));
        long[] withoutUrl = {0};
        long[] poisoned = {0};
        CompletableFuture<Void> producing =
                CompletableFuture.runAsync(() -> produce(scenario, truth, withoutUrl, poisoned));

        ChildProcess driver = DriverProcess.start(config, work.resolve("driver-0.log"));
        long killAt = 3_000 + new Random().nextInt(CLICKS / 2);
        eventually(
                Duration.ofMinutes(3),
                () -> {
                    assertThat(driver.isAlive())
                            .as("driver alive (log %s)", driver.log())
                            .isTrue();
                    return scenario.committedRecords() >= killAt;
                },
                "committed records pass " + killAt);
        driver.kill();
        ChildProcess restarted = DriverProcess.start(config, work.resolve("driver-1.log"));
        producing.join();
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        assertThat(restarted.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);

        Map<PageViewsTable.Row, Long> counted;
        try (Connection hbase = ConnectionFactory.createConnection(
                scenario.settings().pipeline().hbase().clientConfiguration())) {
            counted = new PageViewsTable(hbase, TableName.valueOf("page_views_it")).read();
        }
        assertThat(counted)
                .as("page views per window and URL (killed at %d)", killAt)
                .isEqualTo(truth);
        assertThat(withoutUrl[0]).isPositive();
        ArchiveContents archive = scenario.readArchives().get(0);
        assertThat(archive.lines()).as("every click archived once").isEqualTo(CLICKS);
        assertThat(archive.deadLetters()).as("dead letters of the pipeline").isZero();
        assertThat(poisoned[0]).isPositive();
        assertThat(archive.jobDeadLetters())
                .as(
                        "the clicks without a URL, dead letters of the job alone; the clicks the poisoned job threw on, its own")
                .isEqualTo(Map.of(
                        "page-views/missing_field", withoutUrl[0], PoisonedJob.NAME + "/job_error", poisoned[0]));
    }

    /** Sends the clicks at about 2,000 a second; records the ground truth as it goes. */
    private static void produce(
            PipelineScenario scenario, Map<PageViewsTable.Row, Long> truth, long[] withoutUrl, long[] poisoned) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scenario.properties().get("sluice.kafka.bootstrap-servers"));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        Random random = new Random(7);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < CLICKS; i++) {
                long time = START + i * 25L + random.nextInt(2_000);
                String url = "/page/" + random.nextInt(12);
                boolean hasUrl = random.nextInt(50) != 0;
                int ms = random.nextInt(900);
                String json = hasUrl
                        ? "{\"url\":\"" + url + "\",\"timestamp\":\"" + Instant.ofEpochMilli(time) + "\",\"ms\":" + ms
                                + "}"
                        : "{\"timestamp\":\"" + Instant.ofEpochMilli(time) + "\",\"referrer\":\"x\"}";
                if (hasUrl && PoisonedJob.POISON.equals(String.valueOf(ms))) {
                    poisoned[0]++;
                }
                if (hasUrl) {
                    truth.merge(new PageViewsTable.Row(Math.floorDiv(time, 60_000L) * 60_000L, url), 1L, Long::sum);
                } else {
                    withoutUrl[0]++;
                }
                producer.send(new ProducerRecord<>(scenario.topic(), json.getBytes(StandardCharsets.UTF_8)));
                if (i % 500 == 499) {
                    producer.flush();
                    Thread.sleep(250);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
