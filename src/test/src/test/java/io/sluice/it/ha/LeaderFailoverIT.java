package io.sluice.it.ha;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Scenarios;
import io.sluice.it.support.StatusClient;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.server.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two and then three supervised drivers of one application, as Marathon runs them: one leads, the others stand by
 * without a SparkContext. The leader is killed with {@code kill -9}: a standby takes over from the checkpoint within
 * a bound this test reports; then the new leader gets SIGTERM: it stops gracefully and hands over. The outputs and
 * results are exact, and the status endpoints tell leader from standby.
 */
@RealServers
class LeaderFailoverIT {
    private static final long EVENTS = 24_000;
    /**
     * Events held back twice, each part sent only after the test read the committed count the next leader must pass:
     * that leader then always has something of its own to commit, however fast the previous one was.
     */
    private static final long TAIL = 3_000;

    @Test
    @Timeout(900)
    void aStandbyTakesOverFromAKilledLeaderAndFromAStoppedOneWithNothingLostOrDoubled() throws Exception {
        PipelineScenario scenario =
                Scenarios.onSharedServers("failover", 3, false).set("sluice.kafka.max-rate-per-partition", "1000");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(41, 0.03, 0.02);
        CompletableFuture<Void> producing = scenario.produceInBackground(generator, 0, EVENTS - 2 * TAIL, 2000);

        ChildProcess a = DriverProcess.start(config, work.resolve("driver-a.log"));
        StatusClient statusA = StatusClient.of(a);
        eventually(Duration.ofMinutes(3), () -> scenario.committedRecords() > 0, "the first driver leads and commits");
        ChildProcess b = DriverProcess.start(config, work.resolve("driver-b.log"));
        StatusClient statusB = StatusClient.of(b);
        eventually(Duration.ofMinutes(3), () -> b.logContains("contends for leadership"), "b contends");

        // leader and standby, as the endpoints tell it
        eventually(Duration.ofMinutes(3), () -> statusA.get("/ready").code() == 200, "a is ready");
        assertThat(statusA.get("/leader").body()).contains("\"leader\":true").contains("\"epoch\":1");
        assertThat(statusA.get("/metrics").body()).contains("sluice_leader 1.0").contains("sluice_batches_total");
        assertThat(statusB.get("/health").code()).isEqualTo(200);
        assertThat(statusB.get("/ready").code()).isEqualTo(503);
        assertThat(statusB.get("/leader").body()).contains("\"leader\":false").contains("\"epoch\":-1");
        assertThat(statusB.get("/metrics").body()).contains("sluice_leader 0.0").doesNotContain("sluice_batches");
        assertThat(b.logContains("driver took")).as("a standby takes no epoch").isFalse();
        assertThat(b.logContains("Running Spark version"))
                .as("a standby creates no SparkContext")
                .isFalse();
        assertThat(a.logContains("Running Spark version"))
                .as("(the leader's SparkContext is logged)")
                .isTrue();

        a.kill();
        long killedAt = System.nanoTime();
        // read after the kill: a commit of a's that was in flight when it was read before the kill would pass for b's
        long before = scenario.committedRecords();
        CompletableFuture<Void> second = producing.thenCompose(
                sent -> scenario.produceInBackground(generator, EVENTS - 2 * TAIL, EVENTS - TAIL, 2000));
        eventually(Duration.ofMinutes(2), () -> scenario.committedRecords() > before, "b commits after a's death");
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf(
                "LeaderFailoverIT: the standby committed its first batch %d ms after kill -9 of the leader"
                        + " (ZooKeeper session timeout 5000 ms)%n",
                takeoverMs);
        assertThat(b.logContains("resumed from the checkpoint")).isTrue();
        assertThat(statusB.get("/leader").body()).contains("\"leader\":true").contains("\"epoch\":2");

        ChildProcess c = DriverProcess.start(config, work.resolve("driver-c.log"));
        eventually(Duration.ofMinutes(3), () -> c.logContains("contends for leadership"), "c contends");
        assertThat(b.terminate(Duration.ofSeconds(90)).orElse(-1))
                .as("b's exit after SIGTERM")
                .isIn(0, 143);
        // read once b is gone: every commit past it is c's
        long beforeStop = scenario.committedRecords();
        CompletableFuture<Void> third =
                second.thenCompose(sent -> scenario.produceInBackground(generator, EVENTS - TAIL, EVENTS, 2000));
        eventually(Duration.ofMinutes(2), () -> scenario.committedRecords() > beforeStop, "c takes over and commits");
        third.join();
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        assertThat(c.logContains("runs the pipeline at epoch 3"))
                .as("c leads at epoch 3")
                .isTrue();
        StatusClient statusC = StatusClient.of(c);
        // the lag probe's first answer can time out on a loaded machine (the family is then left out): scrape again
        String lagZero = "sluice_consumer_lag_records{topic=\"" + scenario.topic() + "\",partition=\"0\",} 0.0";
        eventually(Duration.ofMinutes(1), () -> statusC.get("/metrics").body().contains(lagZero), lagZero);
        assertThat(c.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);

        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }
}
