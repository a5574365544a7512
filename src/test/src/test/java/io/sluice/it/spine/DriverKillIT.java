package io.sluice.it.spine;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9} of the driver process at random points while events arrive, restarted each time (as Marathon or
 * {@code --supervise} would): the outputs must be exactly those of an uninterrupted run.
 */
@RealServers
class DriverKillIT {
    private static final long EVENTS = 40_000;
    private static final int KILLS = 3;

    @Test
    @Timeout(900)
    void killNineAtRandomPointsLeavesExactlyTheOutcomeOfAnUninterruptedRun() throws Exception {
        PipelineScenario scenario =
                Scenarios.onSharedServers("kill", 4, true).set("sluice.kafka.max-rate-per-partition", "1500");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(21, 0.03, 0.02);
        CompletableFuture<Void> producing = scenario.produceInBackground(generator, 0, EVENTS, 2500);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        long[] killPoints = random.longs(KILLS, 1_000, EVENTS - 2_000).sorted().toArray();
        System.out.printf(
                "DriverKillIT: seed %d, kill -9 once committed records pass %s%n", seed, Arrays.toString(killPoints));
        ChildProcess driver = DriverProcess.start(config, work.resolve("driver-0.log"));
        for (int i = 0; i < KILLS; i++) {
            // each kill lands while this incarnation is processing: past the random point and past its own first
            // commit;
            // when every event is committed already (the producer finished during a restart), once it has resumed,
            // since a count past the last event would never come
            long point = Math.min(Math.max(killPoints[i], scenario.committedRecords() + 1), EVENTS);
            ChildProcess running = driver;
            boolean restarted = i > 0;
            eventually(
                    Duration.ofMinutes(4),
                    () -> {
                        assertThat(running.isAlive())
                                .as("driver alive (log %s)", running.log())
                                .isTrue();
                        return scenario.committedRecords() >= point
                                && (!restarted || running.logContains("resumed from the checkpoint"));
                    },
                    "committed records pass " + point);
            driver.kill();
            assertThat(driver.isAlive()).isFalse();
            driver = DriverProcess.start(config, work.resolve("driver-" + (i + 1) + ".log"));
        }
        producing.join();
        ChildProcess last = driver;
        // the last incarnation may find nothing left to do; it must still have started before it is stopped
        eventually(
                Duration.ofMinutes(2),
                () -> last.logContains("resumed from the checkpoint") || last.logContains("the ZooKeeper offsets"),
                "the last driver resumed");
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        assertThat(driver.terminate(Duration.ofSeconds(90)).orElse(-1))
                .as("exit code after SIGTERM")
                .isIn(0, 143);

        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
        long resumedFromCheckpoint = 0;
        for (int i = 1; i <= KILLS; i++) {
            String log = Files.readString(work.resolve("driver-" + i + ".log"));
            resumedFromCheckpoint += log.contains("resumed from the checkpoint") ? 1 : 0;
        }
        assertThat(resumedFromCheckpoint)
                .as("restarts that used the checkpoint")
                .isEqualTo(KILLS);
    }
}
