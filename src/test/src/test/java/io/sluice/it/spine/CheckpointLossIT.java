package io.sluice.it.spine;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.junit.HdfsExtension;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A driver killed mid-run restarts without a usable checkpoint (deleted, or unreadable as after a code upgrade):
 * it resumes from the offsets in ZooKeeper, its batches are cut differently, and the outputs are still exact.
 */
@RealServers
class CheckpointLossIT {
    private static final long FIRST = 15_000;
    private static final long SECOND = 5_000;

    @ParameterizedTest(name = "checkpoint {0}")
    @ValueSource(strings = {"deleted", "corrupted"})
    @Timeout(600)
    void aRestartWithoutAUsableCheckpointResumesFromZooKeeperExactly(String damage) throws Exception {
        PipelineScenario scenario =
                Scenarios.onSharedServers("ckpt-" + damage, 3, false).set("sluice.kafka.max-rate-per-partition", "800");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(31, 0.03, 0.02);
        scenario.produce(generator, 0, FIRST, 0);

        ChildProcess first = DriverProcess.start(config, work.resolve("driver-1.log"));
        eventually(Duration.ofMinutes(3), () -> scenario.committedRecords() >= 4_000, "a few batches committed");
        first.kill();
        assertThat(scenario.committedRecords()).as("killed mid-run").isLessThan(FIRST);

        FileSystem hdfs = HdfsExtension.fileSystem();
        org.apache.hadoop.fs.Path checkpoint =
                new org.apache.hadoop.fs.Path(scenario.properties().get("sluice.checkpoint.dir"));
        if (damage.equals("deleted")) {
            assertThat(hdfs.delete(checkpoint, true)).isTrue();
        } else {
            corrupt(hdfs, checkpoint);
        }
        scenario.produce(generator, FIRST, FIRST + SECOND, 0);

        ChildProcess second = DriverProcess.start(config, work.resolve("driver-2.log"));
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        assertThat(second.terminate(Duration.ofSeconds(90)).orElse(-1))
                .as("exit code after SIGTERM")
                .isIn(0, 143);
        String log = Files.readString(work.resolve("driver-2.log"));
        assertThat(log).contains("the ZooKeeper offsets").doesNotContain("resumed from the checkpoint");
        // the open windows were rebuilt by replaying from the positions committed with the offsets
        assertThat(log).contains("results rebuilt from the replay positions {").contains("ReplayPosition[from=");

        Scenarios.assertExact(scenario, scenario.groundTruth(generator, FIRST + SECOND));
    }

    /** Overwrites every checkpoint file with random bytes, as a code upgrade makes them unreadable. */
    private static void corrupt(FileSystem fs, org.apache.hadoop.fs.Path dir) throws Exception {
        Random random = new Random(7);
        int corrupted = 0;
        for (FileStatus file : fs.listStatus(dir)) {
            if (file.getPath().getName().startsWith("checkpoint-")) {
                byte[] garbage = new byte[512];
                random.nextBytes(garbage);
                try (FSDataOutputStream out = fs.create(file.getPath(), true)) {
                    out.write(garbage);
                }
                corrupted++;
            }
        }
        assertThat(corrupted).as("checkpoint files corrupted").isPositive();
    }
}
