package io.sluice.it.isolation;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.it.support.StatusClient;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.junit.HBaseExtension;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HBase killed ({@code kill -9} of its process: master, region server and its ZooKeeper) for a minute while events
 * arrive, then restarted on the same data: the archive keeps committing throughout, the event store and the results
 * lag at their own positions in ZooKeeper, and they catch up from them by reading Kafka again once HBase is back. The
 * run ends exact against the ground truth: HBase, the archive and the results table.
 */
@RealServers
class HBaseOutageIT {
    private static final Duration DOWN = Duration.ofSeconds(60);
    private static final long RATE = 200;
    private static final long BATCH_MS = 2000;
    private static final long EVENTS = RATE * (DOWN.toSeconds() + 60);

    @Test
    @Timeout(900)
    void theArchiveKeepsCommittingWhileHBaseIsDownAndTheHBaseJobsCatchUpAfter() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("hbase-outage", 2, false)
                .set("sluice.streaming.batch-interval-ms", Long.toString(BATCH_MS))
                // the batch during which HBase goes down waits this long before its HBase jobs lag
                .set("sluice.hbase.operation-timeout-ms", "5000")
                .set("sluice.hbase.client-retries", "1");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        // no resends: while the event store lags, the archive keeps copies of an event_id (the claims are the store's)
        EventGenerator generator = new EventGenerator(11, 0.02);
        CompletableFuture<Void> producing = scenario.produceInBackground(generator, 0, EVENTS, RATE);
        ChildProcess driver = DriverProcess.start(config, work.resolve("driver.log"));
        eventually(
                Duration.ofMinutes(3),
                () -> scenario.committedRecords() > 0 && scenario.lag() < 3 * RATE * BATCH_MS / 1000,
                "the driver caught up with the producer");

        HBaseExtension.server().kill();
        long killedAt = System.nanoTime();
        boolean sawLagging = false;
        boolean sawLagOnMetrics = false;
        try {
            long before = scenario.committedRecords();
            while (System.nanoTime() - killedAt < DOWN.toNanos()) {
                Thread.sleep(20_000);
                assertThat(driver.isAlive())
                        .as("driver alive (log %s)", driver.log())
                        .isTrue();
                CommittedOffsets committed = scenario.committedOffsets();
                long records = committed.asMap().values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                assertThat(records)
                        .as(
                                "records the archive committed %d s after HBase was killed (log %s)",
                                (System.nanoTime() - killedAt) / 1_000_000_000L, driver.log())
                        .isGreaterThan(before);
                before = records;
                sawLagging |= committed.lagging().keySet().containsAll(List.of("event-store", "results"));
                sawLagOnMetrics |= StatusClient.of(driver).jobGaugePositive("lag_records", "event-store");
            }
        } finally {
            HBaseExtension.server().restart();
        }
        assertThat(sawLagging)
                .as("the event store and the results lagged at their own positions")
                .isTrue();
        assertThat(sawLagOnMetrics).as("the event store's lag on /metrics").isTrue();

        producing.join();
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        assertThat(driver.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }
}
