package io.sluice.it.ha;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.DriverProcess;
import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Pushing;
import io.sluice.it.support.Scenarios;
import io.sluice.it.support.StatusClient;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.junit.ZooKeeperExtension;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.wal.EventSender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leader that does not know it has been deposed, the case fencing exists for:
 *
 * <ul>
 *   <li>the leader is frozen (SIGSTOP) past its ZooKeeper session timeout, so ZooKeeper expires its session and the
 *       standby takes over; then it is thawed (SIGCONT) in the middle of its old life. It must exit without anything
 *       of its landing: its commit is refused by the epoch, its results writes by the table's epoch cells, its
 *       archive files never leave their stage;
 *   <li>ZooKeeper itself goes away for longer than the leader's grace period: the leader stops and exits, the
 *       standby leads once the old session is gone, and at no moment do both drivers say they lead.
 * </ul>
 *
 * Both end with the outputs and results exact.
 */
@RealServers
class DeposedLeaderIT {
    private static final long EVENTS = 16_000;
    /**
     * The last events of the first test, sent only once the standby leads: it must commit batches of its own even if
     * the frozen leader had committed everything sent before.
     */
    private static final long TAIL = 3_000;

    @Test
    @Timeout(600)
    void aLeaderFrozenPastItsSessionTimeoutIsFencedWhenItWakesUp() throws Exception {
        PipelineScenario scenario =
                Scenarios.onSharedServers("frozen", 3, true).set("sluice.kafka.max-rate-per-partition", "1000");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(43, 0.03, 0.02);
        CompletableFuture<Void> producing = scenario.produceInBackground(generator, 0, EVENTS - TAIL, 1500);

        ChildProcess a = DriverProcess.start(config, work.resolve("driver-a.log"));
        eventually(Duration.ofMinutes(3), () -> scenario.committedRecords() > 0, "a leads and commits");
        ChildProcess b = DriverProcess.start(config, work.resolve("driver-b.log"));
        eventually(Duration.ofMinutes(3), () -> b.logContains("contends for leadership"), "b contends");
        eventually(Duration.ofMinutes(3), () -> scenario.committedRecords() > 3000, "a has committed a few batches");

        signal("STOP", a);
        long frozenAt = System.nanoTime();
        eventually(Duration.ofMinutes(2), () -> b.logContains("runs the pipeline at epoch 2"), "b leads");
        long committedByA = scenario.committedRecords();
        CompletableFuture<Void> rest =
                producing.thenCompose(sent -> scenario.produceInBackground(generator, EVENTS - TAIL, EVENTS, 1500));
        eventually(
                Duration.ofMinutes(2),
                () -> scenario.committedRecords() > committedByA + 1000,
                "b commits batches of its own");
        System.out.printf(
                "DeposedLeaderIT: standby took over %d ms after SIGSTOP of the leader%n",
                (System.nanoTime() - frozenAt) / 1_000_000);

        signal("CONT", a);
        OptionalInt exit = a.awaitExit(Duration.ofMinutes(1));
        assertThat(exit).as("the thawed leader exits by itself").isPresent();
        assertThat(exit.getAsInt())
                .as("exit status: 3 leadership lost, 1 fenced commit")
                .isIn(1, 3);
        String aLog = Files.readString(a.log());
        System.out.printf(
                "DeposedLeaderIT: the thawed leader exited %d: %s%n",
                exit.getAsInt(), lastLineWith(aLog, "leadership lost", "superseded by a newer leader"));
        assertThat(aLog).containsAnyOf("leadership lost", "superseded by a newer leader");

        rest.join();
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        assertThat(b.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }

    @Test
    @Timeout(600)
    void whenZooKeeperGoesAwayTheLeaderStepsDownAndNeverTwoLead() throws Exception {
        PipelineScenario scenario =
                Scenarios.onSharedServers("zkoutage", 3, false).set("sluice.kafka.max-rate-per-partition", "1000");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(47, 0.03, 0.02);
        CompletableFuture<Void> producing = scenario.produceInBackground(generator, 0, EVENTS, 1500);

        ChildProcess a = DriverProcess.start(config, work.resolve("driver-a.log"));
        eventually(Duration.ofMinutes(3), () -> scenario.committedRecords() > 0, "a leads and commits");
        ChildProcess b = DriverProcess.start(config, work.resolve("driver-b.log"));
        eventually(Duration.ofMinutes(3), () -> b.logContains("contends for leadership"), "b contends");
        LeaderWatch watch = new LeaderWatch(List.of(StatusClient.of(a), StatusClient.of(b)));
        watch.start();
        eventually(Duration.ofMinutes(3), () -> scenario.committedRecords() > 3000, "a has committed a few batches");

        // longer than the grace period (3 s), shorter than the session timeout (5 s): the leader steps down on its
        // own; its session outlives the outage, so the standby leads only once it has expired
        ZooKeeperExtension.server().stop();
        OptionalInt exit = a.awaitExit(Duration.ofSeconds(30));
        ZooKeeperExtension.server().restart();
        assertThat(exit)
                .as("the leader stops when its connection stays SUSPENDED")
                .hasValue(3);
        assertThat(Files.readString(a.log())).contains("stayed SUSPENDED for more than 3000 ms");

        eventually(Duration.ofMinutes(2), () -> b.logContains("runs the pipeline at epoch 2"), "b leads");
        ChildProcess a2 = DriverProcess.start(config, work.resolve("driver-a2.log")); // the supervisor's relaunch
        eventually(Duration.ofMinutes(3), () -> a2.logContains("contends for leadership"), "a2 stands by");
        producing.join();
        scenario.awaitFullyCommitted(Duration.ofMinutes(4));
        watch.stop();
        assertThat(watch.bothLeading)
                .as("samples where both drivers said they lead")
                .isEmpty();
        assertThat(watch.samples).as("the watch saw the drivers").isGreaterThan(20);
        assertThat(b.terminate(Duration.ofSeconds(90)).orElse(-1)).isIn(0, 143);
        a2.close();
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }

    /**
     * Push ingestion under the same fault (review hole 5): the leader is frozen with acknowledged blocks in the shared
     * receiver WAL and thawed while the standby starts up. Both drivers then hold those blocks at different positions
     * (their batch times); the thawed one's claims must not make the new leader drop the events, its receivers must not
     * acknowledge what it will never process, and its batches must never complete (which would clean the shared WAL).
     */
    @Test
    @Timeout(900)
    void aFrozenPushLeaderThawedDuringTheTakeoverLosesNoAcknowledgedEvent() throws Exception {
        PipelineScenario scenario = Pushing.configure(Scenarios.onSharedServers("push-frozen", 1, false))
                .set("spark.master", "local[4]");
        Path work = scenario.workDir();
        Path config = scenario.writeConfig(work);
        EventGenerator generator = new EventGenerator(66, 0.02, 0.0);
        long events = 30_000;
        ChildProcess a = DriverProcess.start(config, work.resolve("driver-a.log"));
        ChildProcess b = null;
        try (EventSender sender = Pushing.sender(scenario)) {
            Pushing.awaitReceivers(scenario, a, 2);
            b = DriverProcess.start(config, work.resolve("driver-b.log"));
            ChildProcess standby = b;
            eventually(Duration.ofMinutes(3), () -> standby.logContains("contends for leadership"), "b contends");
            CompletableFuture<Long> sending = Pushing.sendPaced(sender, generator, events);
            eventually(Duration.ofMinutes(2), () -> sender.delivered() >= events / 4, "a quarter delivered");

            signal("STOP", a);
            eventually(Duration.ofMinutes(2), () -> standby.logContains("driver took epoch 2"), "b takes epoch 2");
            signal("CONT", a); // while b starts up: both hold the blocks a had not processed
            OptionalInt exit = a.awaitExit(Duration.ofMinutes(1));
            assertThat(exit).as("the thawed leader exits by itself").isPresent();
            assertThat(exit.getAsInt())
                    .as("exit status: 3 leadership lost, 1 fenced commit")
                    .isIn(1, 3);

            assertThat(sending.get(5, TimeUnit.MINUTES)).isEqualTo(events);
            Pushing.awaitExactWithResentRequests(scenario, GroundTruth.of(generator, events), b);
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    private static void signal(String signal, ChildProcess process) throws IOException, InterruptedException {
        process.signal(signal);
    }

    private static String lastLineWith(String log, String... needles) {
        String found = "";
        for (String line : log.split("\n")) {
            for (String needle : needles) {
                if (line.contains(needle)) {
                    found = line;
                }
            }
        }
        return found;
    }

    /** Asks every driver's {@code /leader} in turn, over and over, and keeps the rounds where two said they lead. */
    private static final class LeaderWatch implements Runnable {
        private final List<StatusClient> drivers;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> bothLeading = new ArrayList<>();
        private volatile int samples;
        private Thread thread;

        LeaderWatch(List<StatusClient> drivers) {
            this.drivers = drivers;
        }

        void start() {
            thread = new Thread(this, "leader-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }

        @Override
        public void run() {
            while (running.get()) {
                List<String> leaders = new ArrayList<>();
                for (StatusClient driver : drivers) {
                    try {
                        String body = driver.get("/leader").body();
                        if (body.contains("\"leader\":true")) {
                            leaders.add(body);
                        }
                    } catch (IOException e) {
                        // a driver that is gone does not lead
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                samples++;
                if (leaders.size() > 1) {
                    synchronized (bothLeading) {
                        bothLeading.add(String.join(" | ", leaders));
                    }
                }
            }
        }
    }
}
