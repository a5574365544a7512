package io.sluice.it.wal;

import static io.sluice.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.demo.generator.EventGenerator;
import io.sluice.demo.generator.GroundTruth;
import io.sluice.demo.server.ChildProcess;
import io.sluice.it.fixture.HdfsExtension;
import io.sluice.it.fixture.RealServers;
import io.sluice.it.fixture.ZooKeeperExtension;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Pushing;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void withoutFaultsThenWithARetriedBatchEveryEventIsWrittenOnce() throws Exception {
        PipelineScenario scenario = scenario("push-retry");
        Path work = scenario.workDir();
        EventGenerator generator = new EventGenerator(61, 0.02, 0.0);
        long events = 15_000;
        try (ChildProcess driver = DriverProcess.start(scenario.writeConfig(work), work.resolve("driver.log"));
                EventSender sender = Pushing.sender(scenario)) {
            Pushing.awaitReceivers(scenario, driver, 2);
            assertThat(sender.send(Pushing.events(generator, 0, events))).isEqualTo(events);
            Pushing.awaitExact(scenario, GroundTruth.of(generator, events), driver); // the run without faults
            // a sender whose answers for these requests timed out sends them again: they are stored twice
            assertThat(sender.send(Pushing.events(generator, 5_000, 7_000))).isEqualTo(2_000);
            Pushing.awaitExact(scenario, GroundTruth.of(generator, events), driver);
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
        try (EventSender sender = Pushing.sender(scenario)) {
            Pushing.awaitReceivers(scenario, driver, 2);
            CompletableFuture<Long> sending = Pushing.sendPaced(sender, generator, events);
            eventually(Duration.ofMinutes(3), () -> sender.delivered() >= events / 3, "a third delivered");
            long atKill = sender.delivered();
            driver.kill();
            System.out.printf("HttpSourceIT: kill -9 of the driver after %,d acknowledged events%n", atKill);
            driver = DriverProcess.start(config, work.resolve("driver-1.log"));
            assertThat(sending.get(5, TimeUnit.MINUTES)).isEqualTo(events);
            Pushing.awaitExact(scenario, GroundTruth.of(generator, events), driver);
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
                EventSender sender = Pushing.sender(scenario);
                CuratorFramework zk = CuratorFrameworkFactory.newClient(
                        ZooKeeperExtension.server().connectString(), new RetryOneTime(200))) {
            zk.start();
            Pushing.awaitReceivers(scenario, driver, 2);
            CompletableFuture<Long> sending = Pushing.sendPaced(sender, generator, events);
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
            Pushing.awaitExact(scenario, GroundTruth.of(generator, events), driver);
        }
    }

    private static PipelineScenario scenario(String name) throws Exception {
        // two receivers hold a core each
        return Pushing.configure(Scenarios.onSharedServers(name, 1, false)).set("spark.master", "local[4]");
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
