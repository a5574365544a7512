package io.sluice.it.wal;

import static io.sluice.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.demo.generator.EventGenerator;
import io.sluice.demo.generator.GroundTruth;
import io.sluice.demo.server.ChildProcess;
import io.sluice.demo.verify.Outcome;
import io.sluice.driver.results.ResultsCheck;
import io.sluice.it.fixture.HdfsExtension;
import io.sluice.it.fixture.RealServers;
import io.sluice.it.fixture.ZooKeeperExtension;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.wal.EventSender;
import io.sluice.wal.ReceiverRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Push ingestion end to end (sluice.source=http): a driver process with two reliable receivers, the receiver WAL and
 * the checkpoint on HDFS, senders pushing generated events; the event store and the archive must hold exactly the
 * acknowledged events (none lost, none twice), and the results table must equal a recount of the archive, after a
 * retried batch, a driver {@code kill -9} with blocks in the WAL (the restart rebuilds the open windows from the
 * archive), and a receiver restart.
 */
@RealServers
class HttpSourceIT {
    private static final Pattern DUPLICATES = Pattern.compile("duplicates=(\\d+)");

    @Test
    @Timeout(600)
    void aRetriedBatchIsStoredTwiceAndWrittenOnce() throws Exception {
        PipelineScenario scenario = scenario("push-retry");
        Path work = scenario.workDir();
        EventGenerator generator = new EventGenerator(61, 0.02, 0.0);
        long events = 15_000;
        try (ChildProcess driver = DriverProcess.start(scenario.writeConfig(work), work.resolve("driver.log"));
                EventSender sender = sender(scenario)) {
            awaitReceivers(scenario, driver);
            assertThat(sender.send(events(generator, 0, events))).isEqualTo(events);
            // a sender whose answers for these requests timed out sends them again: they are stored twice
            assertThat(sender.send(events(generator, 5_000, 7_000))).isEqualTo(2_000);
            awaitExact(scenario, GroundTruth.of(generator, events), driver);
            assertThat(sum(DUPLICATES, driver.log())).as("copies dropped").isEqualTo(2_000);
        }
        printWal(scenario);
    }

    @Test
    @Timeout(900)
    void aDriverKilledWithBlocksInItsWalLosesNoAcknowledgedEvent() throws Exception {
        PipelineScenario scenario = scenario("push-kill");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(62, 0.02, 0.0);
        long events = 30_000;
        ChildProcess driver = DriverProcess.start(config, work.resolve("driver-0.log"));
        try (EventSender sender = sender(scenario)) {
            awaitReceivers(scenario, driver);
            CompletableFuture<Long> sending = sendPaced(sender, generator, events);
            eventually(Duration.ofMinutes(3), () -> sender.delivered() >= events / 3, "a third delivered");
            long atKill = sender.delivered();
            driver.kill();
            System.out.printf("HttpSourceIT: kill -9 of the driver after %,d acknowledged events%n", atKill);
            driver = DriverProcess.start(config, work.resolve("driver-1.log"));
            assertThat(sending.get(5, TimeUnit.MINUTES)).isEqualTo(events);
            awaitExact(scenario, GroundTruth.of(generator, events), driver);
            assertThat(driver.logContains("resumed from the checkpoint")).isTrue();
        } finally {
            driver.close();
        }
    }

    @Test
    @Timeout(900)
    void aReceiverRestartedMidRunLetsTheSendersFailOver() throws Exception {
        PipelineScenario scenario = scenario("push-restart");
        Path work = scenario.workDir();
        EventGenerator generator = new EventGenerator(63, 0.02, 0.0);
        long events = 20_000;
        String registry = ZooKeeperPaths.forApplication("push-restart").receivers();
        try (ChildProcess driver = DriverProcess.start(scenario.writeConfig(work), work.resolve("driver.log"));
                EventSender sender = sender(scenario);
                CuratorFramework zk = CuratorFrameworkFactory.newClient(
                        ZooKeeperExtension.server().connectString(), new RetryOneTime(200))) {
            zk.start();
            awaitReceivers(scenario, driver);
            CompletableFuture<Long> sending = sendPaced(sender, generator, events);
            eventually(Duration.ofMinutes(3), () -> sender.delivered() >= events / 3, "a third delivered");
            String moved = ReceiverRegistry.live(zk, registry).get(0);
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + moved + "/restart"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(202);
            eventually(
                    Duration.ofMinutes(1),
                    () -> !ReceiverRegistry.live(zk, registry).contains(moved)
                            || driver.logContains("restart requested over HTTP"),
                    "the receiver restarts");
            eventually(
                    Duration.ofMinutes(1),
                    () -> ReceiverRegistry.live(zk, registry).size() == 2,
                    "the receiver is back");
            System.out.printf(
                    "HttpSourceIT: receiver %s restarted; receivers now %s%n",
                    moved, ReceiverRegistry.live(zk, registry));
            assertThat(sending.get(5, TimeUnit.MINUTES)).isEqualTo(events);
            awaitExact(scenario, GroundTruth.of(generator, events), driver);
        }
    }

    private static PipelineScenario scenario(String name) throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers(name, 1, false)
                .set("sluice.source", "http")
                .set("sluice.http-source.host", "127.0.0.1")
                .set("sluice.http-source.ports", "0-0") // any free port
                .set("spark.master", "local[4]"); // two receivers hold a core each
        scenario.properties().keySet().removeIf(k -> k.toString().startsWith("sluice.kafka."));
        return scenario;
    }

    private static EventSender sender(PipelineScenario scenario) {
        return EventSender.discovering(
                ZooKeeperExtension.server().connectString(),
                ZooKeeperPaths.forApplication(scenario.properties().get("sluice.app.name"))
                        .receivers(),
                EventSender.Options.defaults().withBatchSize(250).withGzip(true));
    }

    private static Iterator<byte[]> events(EventGenerator generator, long from, long until) {
        return LongStream.range(from, until)
                .mapToObj(seq -> generator.event(seq).json())
                .iterator();
    }

    /** Sends all events in chunks of 1,000 about every 200 ms (about 5,000/s), on another thread. */
    private static CompletableFuture<Long> sendPaced(EventSender sender, EventGenerator generator, long events) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                long sent = 0;
                for (long from = 0; from < events; from += 1_000) {
                    sent += sender.send(events(generator, from, Math.min(events, from + 1_000)));
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                return sent;
            } catch (Exception e) {
                throw new IllegalStateException("sending failed", e);
            }
        });
    }

    private static void awaitReceivers(PipelineScenario scenario, ChildProcess driver) throws Exception {
        String registry = ZooKeeperPaths.forApplication(scenario.properties().get("sluice.app.name"))
                .receivers();
        try (CuratorFramework zk =
                CuratorFrameworkFactory.newClient(ZooKeeperExtension.server().connectString(), new RetryOneTime(200))) {
            zk.start();
            eventually(
                    Duration.ofMinutes(3),
                    () -> {
                        assertThat(driver.isAlive())
                                .as("driver alive (log %s)", driver.log())
                                .isTrue();
                        return ReceiverRegistry.live(zk, registry).size() == 2;
                    },
                    "two receivers registered");
        }
    }

    /** Waits until HBase and the archive hold every acknowledged event, then checks nothing is doubled. */
    private static void awaitExact(PipelineScenario scenario, GroundTruth truth, ChildProcess driver) {
        Outcome[] last = {null};
        eventually(
                Duration.ofMinutes(4),
                () -> {
                    assertThat(driver.isAlive())
                            .as("driver alive (log %s)", driver.log())
                            .isTrue();
                    last[0] = scenario.verify(truth);
                    return last[0].hbaseRows() >= truth.validIds().size()
                            && last[0].archived() >= truth.validIds().size()
                            && last[0].deadLetter() >= truth.deadLetters();
                },
                "every acknowledged event written");
        Outcome outcome = last[0];
        System.out.println("HttpSourceIT: " + outcome.summary());
        assertThat(outcome.lost()).as(outcome.summary()).isZero();
        assertThat(outcome.duplicated()).as(outcome.summary()).isZero();
        assertThat(outcome.exact(truth)).as(outcome.summary()).isTrue();
        try {
            ResultsCheck.Report results = scenario.checkResults();
            System.out.println("HttpSourceIT: results " + results.summary());
            assertThat(results.differences())
                    .as("results table vs recount of the archive: %s", results.summary())
                    .isEmpty();
            assertThat(results.recountedEvents()).isEqualTo(truth.validIds().size());
            assertThat(results.topRows()).as("top rows written").isPositive();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long sum(Pattern pattern, Path log) throws Exception {
        Matcher m = pattern.matcher(Files.readString(log));
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    private static void printWal(PipelineScenario scenario) throws Exception {
        String checkpoint = scenario.settings().checkpointDir();
        RemoteIterator<LocatedFileStatus> files =
                HdfsExtension.fileSystem().listFiles(new org.apache.hadoop.fs.Path(checkpoint), true);
        while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            String path = f.getPath().toUri().getPath();
            if (path.contains("/receivedData/") || path.contains("/receivedBlockMetadata/")) {
                System.out.printf("HttpSourceIT: WAL file %s (%,d bytes)%n", path, f.getLen());
            }
        }
    }
}
