package io.sluice.it.isolation;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.HBaseOutage;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Pushing;
import io.sluice.it.support.Scenarios;
import io.sluice.jobs.source.PushSource;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.wal.EventSender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Push ingestion with HBase killed ({@code kill -9} of its process) for a minute while senders push ({@link
 * HBaseOutage}): once the batch during which HBase went down has timed out, the receivers keep acknowledging and the
 * archive keeps committing batches; the event store and the results lag at their own
 * positions, and once HBase is back they catch up from the primary archive root, the replay source of push ingestion.
 * The driver is killed ({@code kill -9}) during the catch-up and restarted: the results rebuild from the archive and
 * the catch-up resumes from the committed positions. The run ends exact against what the senders had acknowledged.
 */
@RealServers
class PushHBaseOutageIT {
    private static final Duration DOWN = Duration.ofSeconds(60);
    private static final long BATCH_MS = 2000;
    private static final long PER_SECOND = 200;
    private static final long EVENTS = PER_SECOND * (DOWN.toSeconds() + 60);
    /** Held by the sending thread during each request, and by the test while the driver is down. */
    private static final Object GATE = new Object();

    @Test
    @Timeout(900)
    void theArchiveKeepsCommittingPushedBatchesWhileHBaseIsDownAndTheHBaseJobsCatchUpFromIt() throws Exception {
        PipelineScenario scenario = Pushing.configure(Scenarios.onSharedServers("push-hbase-outage", 1, false))
                .set("spark.master", "local[4]") // two receivers hold a core each
                .set("sluice.streaming.batch-interval-ms", Long.toString(BATCH_MS))
                // the batch during which HBase goes down waits this long before its HBase jobs lag
                .set("sluice.hbase.operation-timeout-ms", "5000")
                .set("sluice.hbase.client-retries", "1");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        // no re-sent requests: while the event store lags, the archive keeps every copy of an event_id
        EventGenerator generator = new EventGenerator(67, 0.02, 0.0);
        ChildProcess first = DriverProcess.start(config, work.resolve("driver-0.log"));
        ChildProcess[] current = {first};
        try (EventSender sender = Pushing.sender(scenario)) {
            Pushing.awaitReceivers(scenario, current[0], 2);
            CompletableFuture<Long> sending = sendPaced(sender, generator);
            eventually(
                    Duration.ofMinutes(2),
                    () -> sender.delivered() >= PER_SECOND * 20 && pushed(scenario) > 0,
                    "batches committed before the outage");

            HBaseOutage.killFor(
                    DOWN,
                    scenario,
                    current[0],
                    "lag_ms",
                    Map.of(
                            "push position the archive committed",
                            () -> pushed(scenario),
                            "events the receivers acknowledged",
                            sender::delivered));

            // kill -9 once the catch-up from the archive has committed a step; between two requests of the senders, so
            // that none is stored without its answer and sent again (while the event store lags, the archive would
            // keep both copies)
            eventually(
                    Duration.ofMinutes(3),
                    () -> {
                        assertThat(current[0].isAlive())
                                .as("driver alive (log %s)", current[0].log())
                                .isTrue();
                        return current[0].logContains("caught up");
                    },
                    "a catch-up step committed");
            synchronized (GATE) {
                boolean lagging = !scenario.committedOffsets().lagging().isEmpty();
                current[0].kill();
                System.out.printf(
                        "PushHBaseOutageIT: kill -9 of the driver %s%n",
                        lagging ? "during the catch-up" : "after the catch-up ended");
                current[0] = DriverProcess.start(config, work.resolve("driver-1.log"));
                Pushing.awaitReceivers(scenario, current[0], 2);
            }
            assertThat(sending.get(5, TimeUnit.MINUTES)).isEqualTo(EVENTS);
            eventually(
                    Duration.ofMinutes(4),
                    () -> {
                        assertThat(current[0].isAlive())
                                .as("driver alive (log %s)", current[0].log())
                                .isTrue();
                        return scenario.committedOffsets().lagging().isEmpty();
                    },
                    "no job lags");
            Pushing.awaitExact(scenario, GroundTruth.of(generator, EVENTS), current[0]);
        } finally {
            current[0].close();
        }
    }

    private static long pushed(PipelineScenario scenario) throws Exception {
        return scenario.committedOffsets().next(PushSource.CLOCK).orElse(0);
    }

    /** {@link #PER_SECOND} events a second, in requests every half second, on another thread. */
    private static CompletableFuture<Long> sendPaced(EventSender sender, EventGenerator generator) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                long sent = 0;
                long chunk = PER_SECOND / 2;
                long start = System.nanoTime();
                for (long from = 0; from < EVENTS; from += chunk) {
                    synchronized (GATE) {
                        sent += sender.send(Pushing.events(generator, from, Math.min(EVENTS, from + chunk)));
                    }
                    long due = start + TimeUnit.MILLISECONDS.toNanos(500 * (from / chunk + 1));
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                return sent;
            } catch (Exception e) {
                throw new IllegalStateException("sending failed", e);
            }
        });
    }
}
