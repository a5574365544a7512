package io.sluice.it.isolation;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.driver.config.SluiceSettings;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.junit.S3Extension;
import io.sluice.testkit.server.ChildProcess;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * S3, the archive's replica, frozen (SIGSTOP of the S3 server) for five minutes while events arrive: the event store,
 * the results and the primary archive keep committing throughout, their lag bounded by a few batches, and the replica
 * catches up by itself after the thaw. The run ends exact against the ground truth in every root.
 */
@RealServers
class FrozenS3IT {
    private static final Duration FROZEN = Duration.ofMinutes(5);
    private static final long RATE = 200;
    private static final long BATCH_MS = 2000;
    /** Records of one batch: the lag may be a few of these. */
    private static final long BATCH = RATE * BATCH_MS / 1000;

    private static final long EVENTS = RATE * (FROZEN.toSeconds() + 30);

    @Test
    @Timeout(1200)
    void theStoreAndTheResultsCommitThroughoutAndTheReplicaCatchesUpAfterTheThaw() throws Exception {
        // the driver's production ZooKeeper timings, not the failover tests' short ones: this test is not about
        // leadership, and on CI a starved start lost its 5-s session and with it the lead (the driver then exits)
        PipelineScenario scenario = Scenarios.onSharedServers("frozen-s3", 2, true)
                .set("sluice.streaming.batch-interval-ms", Long.toString(BATCH_MS))
                .set("sluice.zookeeper.session-timeout-ms", "10000")
                .set("sluice.ha.suspended-grace-ms", "6000");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(5, 0.02, 0.02);
        CompletableFuture<Void> producing = scenario.produceInBackground(generator, 0, EVENTS, RATE);
        ChildProcess driver = DriverProcess.start(config, work.resolve("driver.log"));
        // the backlog produced while the driver started is drained first: the lag measured is the freeze's
        eventually(
                Duration.ofMinutes(3),
                () -> scenario.committedRecords() > 0 && scenario.lag() < 3 * BATCH,
                "the driver caught up with the producer");

        S3Extension.server().freeze();
        long frozenAt = System.nanoTime();
        long maxLag = 0;
        try {
            long before = scenario.committedRecords();
            while (System.nanoTime() - frozenAt < FROZEN.toNanos()) {
                Thread.sleep(10_000);
                assertThat(driver.isAlive())
                        .as("driver alive (log %s)", driver.log())
                        .isTrue();
                long committed = scenario.committedRecords();
                assertThat(committed)
                        .as("records committed %d s into the freeze", (System.nanoTime() - frozenAt) / 1_000_000_000L)
                        .isGreaterThan(before);
                before = committed;
                maxLag = Math.max(maxLag, scenario.lag());
            }
        } finally {
            S3Extension.server().thaw();
        }
        assertThat(maxLag).as("the largest lag while S3 was frozen").isLessThan(5 * BATCH);
        System.out.printf("FrozenS3IT: largest lag while S3 was frozen: %d records%n", maxLag);

        producing.join();
        scenario.awaitFullyCommitted(Duration.ofMinutes(3));
        SluiceSettings settings = scenario.settings();
        String primary = settings.pipeline().archiveRoots().get(0);
        String replica = settings.pipeline().archiveRoots().get(1);
        eventually(
                Duration.ofMinutes(5),
                () -> published(settings, replica).equals(published(settings, primary)),
                "the replica holds every file the primary published");
        assertThat(driver.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);

        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }

    /** The published files of an archive root, by their names under it. */
    private static Set<String> published(SluiceSettings settings, String root) throws IOException {
        FileSystem fs = FileSystem.get(
                URI.create(root),
                ExecutorHadoop.configuration(settings.pipeline().hadoopProperties()));
        Set<String> names = new TreeSet<>();
        for (String dir : new String[] {"events", "dead-letter"}) {
            RemoteIterator<LocatedFileStatus> files;
            try {
                files = fs.listFiles(new org.apache.hadoop.fs.Path(root + "/" + dir), true);
            } catch (FileNotFoundException e) {
                continue;
            }
            String prefix = fs.makeQualified(new org.apache.hadoop.fs.Path(root))
                    .toUri()
                    .getPath();
            while (files.hasNext()) {
                String path = files.next().getPath().toUri().getPath();
                names.add(path.substring(prefix.length()));
            }
        }
        return names;
    }
}
