package io.sluice.it.isolation;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.HBaseOutage;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HBase killed ({@code kill -9} of its process: master, region server and its ZooKeeper) for a minute while events
 * arrive, then restarted on the same data ({@link HBaseOutage}): once the batch during which HBase went down has timed
 * out, the event store and the results lag at their own positions in ZooKeeper and the archive keeps committing, and they catch up from them by reading Kafka again once HBase is back. The
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

        HBaseOutage.killFor(
                DOWN,
                scenario,
                driver,
                "lag_records",
                Map.of("records the archive committed", scenario::committedRecords));

        producing.join();
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        assertThat(driver.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }
}
