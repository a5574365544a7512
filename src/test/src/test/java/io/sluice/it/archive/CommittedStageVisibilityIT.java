package io.sluice.it.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, item 10: a batch committed in ZooKeeper is visible in every archive root without waiting for a future
 * leader's start. The driver halts (as {@code kill -9}) right after the ZooKeeper commit of its last batch, before
 * publishing that batch's stage, and no driver starts again: the outcome, read as the demo reads it, is still exact.
 */
@RealServers
class CommittedStageVisibilityIT {
    private static final long EVENTS = 3_000;

    @Test
    @Timeout(600)
    void aBatchCommittedByADriverKilledBeforeItsPublicationIsNotReportedLost() throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers("unpublished", 2, true);
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(33, 0.03, 0.02);
        scenario.produce(generator, 0, EVENTS, 5_000);

        ChildProcess driver = DriverProcess.start(
                config, work.resolve("driver.log"), List.of("-Dsluice.test.halt-once-committed=" + EVENTS));
        assertThat(driver.awaitExit(Duration.ofMinutes(5)))
                .as("the driver halted right after committing the last records (log %s)", driver.log())
                .hasValue(137);
        CommittedOffsets committed = scenario.committedOffsets();
        assertThat(scenario.committedRecords()).as("records committed").isEqualTo(EVENTS);
        assertThat(committed.stage()).as("the committed stage").isNotEmpty();
        SluiceSettings settings = scenario.settings();
        // the primary root: replicas hold published files only, copied after their publication
        for (String root : settings.pipeline().archiveRoots().subList(0, 1)) {
            FileSystem fs = FileSystem.get(
                    URI.create(root),
                    ExecutorHadoop.configuration(settings.pipeline().hadoopProperties()));
            assertThat(fs.exists(new ArchiveLayout(root).stageDir(committed.stage())))
                    .as("the committed stage is still staged in %s: the kill landed before its publication", root)
                    .isTrue();
        }

        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }
}
