package io.sluice.it.cluster;

import static io.sluice.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.support.PipelineScenario;
import io.sluice.it.support.Pushing;
import io.sluice.it.support.Scenarios;
import io.sluice.testkit.cluster.SparkMaster;
import io.sluice.testkit.cluster.SparkSubmission;
import io.sluice.testkit.cluster.SparkSubmission.DeployMode;
import io.sluice.testkit.cluster.SparkWorker;
import io.sluice.testkit.cluster.StandaloneCluster;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.junit.RealServers;
import io.sluice.testkit.junit.ZooKeeperExtension;
import io.sluice.testkit.server.ChildProcess;
import io.sluice.wal.EventSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Sluice on a real Spark standalone cluster (two masters recovering through ZooKeeper, two workers, executors and
 * supervised drivers in their own JVMs, all from the Spark home the build assembles from Maven), submitted with
 * {@code spark-submit} and the shaded application jar, against real Kafka, ZooKeeper and HBase with the checkpoint
 * and archive on HDFS. Each test kills one process of the cluster with {@code kill -9} in the middle of a run and
 * ends with the outputs of an uninterrupted run (no lost or duplicated event, results equal to the recount); the last
 * one pushes events over HTTP and kills the executor of a receiver, which Spark starts again elsewhere.
 */
@RealServers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    private static final long EVENTS = 24_000;
    /** Sent before the driver starts; the rest is sent at {@link #RATE} once the driver committed these. */
    private static final long FIRST = 4_000;

    private static final long RATE = 1_200;
    /**
     * The last events of a run, held back until the test has read the committed count it then waits past: a wait for
     * progress after a fault can always be met, even when everything sent before was committed before the fault.
     */
    private static final long TAIL = 2 * RATE;

    private static StandaloneCluster cluster;
    private static Path clusterDir;

    @BeforeAll
    static void startCluster() throws Exception {
        clusterDir = Path.of("target/it-work/spark-cluster-" + System.currentTimeMillis())
                .toAbsolutePath();
        cluster = StandaloneCluster.start(
                clusterDir,
                ZooKeeperExtension.server().connectString(),
                "/spark-it",
                StandaloneCluster.Options.defaults().withMasters(2));
        System.out.printf(
                "StandaloneClusterIT: %s, masters %s, workers %s%n",
                cluster.masterUrl(), cluster.masters(), cluster.workers());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(600)
    void executorKilledDuringProcessingIsReplacedAndItsTasksRerun() throws Exception {
        PipelineScenario scenario = scenario("cluster-executor");
        Path work = scenario.workDir();
        EventGenerator generator = new EventGenerator(31, 0.02, 0.01);
        scenario.produce(generator, 0, FIRST, 0);
        try (ChildProcess driver = submitClientMode(scenario, work)) {
            CompletableFuture<Void> producing = produceOnceCommitting(scenario, driver, generator, EVENTS - TAIL);
            eventually(Duration.ofMinutes(1), () -> cluster.executors().size() == 2, "two executors running");
            ProcessHandle victim = cluster.executors().get(0);
            long atKill = scenario.committedRecords();
            System.out.printf(
                    "StandaloneClusterIT: kill -9 of executor pid %d at %d committed records%n", victim.pid(), atKill);
            victim.destroyForcibly();
            CompletableFuture<Void> rest = thenTail(scenario, producing, generator, EVENTS);
            eventually(
                    Duration.ofMinutes(2),
                    () -> cluster.executors().size() == 2
                            && cluster.executors().stream().noneMatch(e -> e.pid() == victim.pid()),
                    "the master launched a replacement executor");
            awaitCommitted(scenario, driver, atKill + TAIL);
            rest.join();
            scenario.awaitFullyCommitted(Duration.ofMinutes(4));
            assertThat(driver.isAlive()).as("the driver outlived its executor").isTrue();
            assertThat(driver.logContains("Lost executor"))
                    .as("the driver saw its executor die")
                    .isTrue();
            System.out.printf(
                    "StandaloneClusterIT: tasks lost with the executor and run again: %s%n",
                    driver.logContains("Lost task") ? "yes" : "none was running");
            assertThat(driver.logContains("resumed from the checkpoint"))
                    .as("no driver restart")
                    .isFalse();
            assertThat(driver.terminate(Duration.ofSeconds(90)).orElse(-1))
                    .as("exit after SIGTERM")
                    .isIn(0, 143);
        }
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }

    @Test
    @Order(2)
    @Timeout(900)
    void workerHostingTheSupervisedDriverKilledTheMasterRelaunchesItOnTheOtherWorker() throws Exception {
        PipelineScenario scenario = scenario("cluster-worker");
        Path work = scenario.workDir();
        EventGenerator generator = new EventGenerator(32, 0.02, 0.01);
        long events = 2 * EVENTS; // the relaunched driver must find work left after the old one's graceful exit
        scenario.produce(generator, 0, FIRST, 0);
        ChildProcess submit = SparkSubmission.start(
                cluster.masterUrl(),
                DeployMode.CLUSTER,
                true,
                scenario.writeConfig(work),
                work.resolve("submit.log"),
                List.of("-Xmx256m"));
        assertThat(submit.awaitExit(Duration.ofMinutes(2)).orElse(-1))
                .as("spark-submit in cluster mode (log %s)", submit.log())
                .isZero();
        thenKillDrivers(work, () -> {
            eventually(
                    Duration.ofMinutes(2), () -> cluster.workerRunningDriver().isPresent(), "a worker runs the driver");
            SparkWorker host = cluster.workerRunningDriver().orElseThrow();
            List<ProcessHandle> oldDriver = host.drivers();
            CompletableFuture<Void> producing = produceOnceCommitting(scenario, null, generator, events - TAIL);
            long killedAt = System.nanoTime();
            System.out.printf(
                    "StandaloneClusterIT: kill -9 of %s (drivers %s) at %d committed records%n",
                    host, activeDrivers(), scenario.committedRecords());
            host.kill();
            eventually(
                    Duration.ofMinutes(2),
                    () -> cluster.workers().stream()
                            .anyMatch(w -> w != host && !w.drivers().isEmpty()),
                    "the master relaunched the driver on the other worker");
            double relaunched = seconds(killedAt);
            // Spark's worker watcher stops the old driver, gracefully: until it has gone (and left the election) the
            // relaunched one is a standby
            eventually(
                    Duration.ofMinutes(2),
                    () -> oldDriver.stream().noneMatch(ProcessHandle::isAlive),
                    "the old driver exited after its worker");
            double oldGone = seconds(killedAt);
            long atDeath = scenario.committedRecords(); // nothing of the old driver's can commit any more
            CompletableFuture<Void> rest = thenTail(scenario, producing, generator, events);
            awaitCommitted(scenario, null, atDeath + 1);
            System.out.printf(
                    "StandaloneClusterIT: worker kill -9: driver relaunched after %.1f s, the old driver (its worker"
                            + " gone) stopped after %.1f s, the relaunched one committed after %.1f s%n",
                    relaunched, oldGone, seconds(killedAt));
            host.restart();
            rest.join();
            scenario.awaitFullyCommitted(Duration.ofMinutes(4));
            eventually(Duration.ofMinutes(1), () -> activeDrivers().size() == 1, "one driver at the master");
        });
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, events));
    }

    @Test
    @Order(3)
    @Timeout(600)
    void activeMasterKilledTheStandbyTakesOverAndTheApplicationKeepsRunning() throws Exception {
        PipelineScenario scenario = scenario("cluster-master");
        Path work = scenario.workDir();
        EventGenerator generator = new EventGenerator(33, 0.02, 0.01);
        scenario.produce(generator, 0, FIRST, 0);
        try (ChildProcess driver = submitClientMode(scenario, work)) {
            CompletableFuture<Void> producing = produceOnceCommitting(scenario, driver, generator, EVENTS - TAIL);
            SparkMaster active = answered(cluster::activeMaster, "an ALIVE master");
            SparkMaster standby = cluster.masters().stream()
                    .filter(m -> m != active)
                    .findFirst()
                    .orElseThrow();
            assertThat(answered(standby::status, "the other master's status"))
                    .as("the other master")
                    .isEqualTo("STANDBY");
            long killedAt = System.nanoTime();
            System.out.printf("StandaloneClusterIT: kill -9 of the active %s%n", active);
            active.kill();
            standby.awaitStatus("ALIVE", Duration.ofMinutes(2));
            double tookOver = seconds(killedAt);
            // this test's application by its id: an earlier test's application the old master had not yet removed
            // may also be recovered, and counting applications would wait for it to go
            String appId = applicationId(driver);
            try {
                eventually(
                        Duration.ofMinutes(3),
                        () -> standby.state()
                                .map(s -> s.path("aliveworkers").asInt() == 2
                                        && s.path("activeapps")
                                                .findValuesAsText("id")
                                                .contains(appId))
                                .orElse(false),
                        "application " + appId + " and both workers re-registered with the new master");
            } catch (AssertionError e) {
                System.out.printf(
                        "StandaloneClusterIT: the new master's state: %s%n",
                        standby.state().map(Object::toString).orElse("(no answer)"));
                throw e;
            }
            System.out.printf(
                    "StandaloneClusterIT: standby master ALIVE %.1f s after the kill, application re-registered"
                            + " after %.1f s%n",
                    tookOver, seconds(killedAt));
            // the driver may well have committed everything sent so far before the new master recovered: the tail,
            // sent only now, is what the application must go on committing under the new master
            long atTakeover = scenario.committedRecords();
            CompletableFuture<Void> rest = thenTail(scenario, producing, generator, EVENTS);
            awaitCommitted(scenario, driver, atTakeover + TAIL);
            active.restart();
            rest.join();
            scenario.awaitFullyCommitted(Duration.ofMinutes(4));
            assertThat(driver.logContains("resumed from the checkpoint"))
                    .as("no driver restart")
                    .isFalse();
            assertThat(driver.terminate(Duration.ofSeconds(90)).orElse(-1))
                    .as("exit after SIGTERM")
                    .isIn(0, 143);
        }
        Scenarios.assertExact(scenario, scenario.groundTruth(generator, EVENTS));
    }

    @Test
    @Order(4)
    @Timeout(900)
    void anExecutorRunningAPushReceiverKilledTheReceiverMovesAndTheWalCoversItsBlocks() throws Exception {
        // two receivers hold an executor each; two more executors process
        PipelineScenario scenario = Pushing.configure(scenario("cluster-push")).set("spark.cores.max", "4");
        Path work = scenario.workDir();
        EventGenerator generator = new EventGenerator(34, 0.02, 0.0);
        long events = 12_000; // the kill lands after a third: 4,000 acknowledged, 8,000 still to send
        try (ChildProcess driver = submitClientMode(scenario, work);
                EventSender sender = Pushing.sender(scenario)) {
            Pushing.awaitReceivers(scenario, driver, 2);
            CompletableFuture<Long> sending = Pushing.sendPaced(sender, generator, events);
            eventually(Duration.ofMinutes(3), () -> sender.delivered() >= events / 3, "a third delivered");
            String moved = Pushing.receivers(scenario).get(0);
            long pid = receiverPid(moved);
            assertThat(cluster.executors().stream().map(ProcessHandle::pid))
                    .as("the receiver at %s runs in an executor", moved)
                    .contains(pid);
            long killedAt = System.nanoTime();
            System.out.printf(
                    "StandaloneClusterIT: kill -9 of executor pid %d running the receiver at %s after %,d"
                            + " acknowledged events%n",
                    pid, moved, sender.delivered());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            eventually(
                    Duration.ofMinutes(3),
                    () -> {
                        List<String> live = Pushing.receivers(scenario);
                        return live.size() == 2
                                && live.stream()
                                        .map(StandaloneClusterIT::receiverPid)
                                        .allMatch(p -> p > 0 && p != pid);
                    },
                    "the receiver runs again in another executor");
            System.out.printf(
                    "StandaloneClusterIT: receivers %s serve again %.1f s after the kill%n",
                    Pushing.receivers(scenario), seconds(killedAt));
            assertThat(sending.get(5, TimeUnit.MINUTES)).isEqualTo(events);
            // the kill may cut the answer to a request the receiver had stored: the sender sends it again to the
            // other receiver, its valid events are dropped as copies, its dead letters (no identity) written twice
            Pushing.awaitExactWithResentRequests(scenario, GroundTruth.of(generator, events), driver);
            assertThat(driver.terminate(Duration.ofSeconds(90)).orElse(-1))
                    .as("exit after SIGTERM")
                    .isIn(0, 143);
        }
    }

    /** The pid of the JVM serving the receiver at {@code address} (its /health says), -1 when it does not answer. */
    private static long receiverPid(String address) {
        try {
            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + address + "/health"))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\"pid\":(\\d+)").matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** A scenario on the shared servers, its Spark resources sized for two workers, no spark.master of its own. */
    private static PipelineScenario scenario(String name) throws Exception {
        PipelineScenario scenario = Scenarios.onSharedServers(name, 4, false)
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", "2")
                .set("spark.executor.memory", "512m")
                .set("spark.driver.memory", "768m")
                .set("spark.driver.cores", "1");
        scenario.properties().remove("spark.master");
        return scenario;
    }

    /** The driver in client mode: this test's child process, as Marathon would run it. */
    private static ChildProcess submitClientMode(PipelineScenario scenario, Path work) throws IOException {
        return SparkSubmission.start(
                cluster.masterUrl(),
                DeployMode.CLIENT,
                false,
                scenario.writeConfig(work),
                work.resolve("driver.log"),
                List.of("-Xmx768m"));
    }

    /**
     * Once the driver committed the {@link #FIRST} events (sent before it started), sends the rest up to {@code events}
     * at {@link #RATE} in the background, and returns when a further second's worth is committed: the run is under way.
     */
    private static CompletableFuture<Void> produceOnceCommitting(
            PipelineScenario scenario, ChildProcess driver, EventGenerator generator, long events) {
        awaitCommitted(scenario, driver, FIRST);
        CompletableFuture<Void> producing = scenario.produceInBackground(generator, FIRST, events, RATE);
        awaitCommitted(scenario, driver, FIRST + RATE);
        return producing;
    }

    /**
     * Sends the held-back {@link #TAIL} of a run of {@code events} at {@link #RATE} once {@code producing} is done. Call
     * it right after reading the committed count that a wait must pass: that count then excludes the tail.
     */
    private static CompletableFuture<Void> thenTail(
            PipelineScenario scenario, CompletableFuture<Void> producing, EventGenerator generator, long events) {
        return producing.thenCompose(sent -> scenario.produceInBackground(generator, events - TAIL, events, RATE));
    }

    private static void awaitCommitted(PipelineScenario scenario, ChildProcess driver, long records) {
        eventually(
                Duration.ofMinutes(4),
                () -> {
                    if (driver != null) {
                        assertThat(driver.isAlive())
                                .as("driver alive (log %s)", driver.log())
                                .isTrue();
                    }
                    return scenario.committedRecords() >= records;
                },
                "committed records reach " + records);
    }

    /** The id of the application {@code driver} registered ({@code app-...}), from its log. */
    private static String applicationId(ChildProcess driver) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Executor added: (app-[0-9]+-[0-9]+)/")
                .matcher(java.nio.file.Files.readString(driver.log()));
        assertThat(m.find())
                .as("an executor added to the application (log %s)", driver.log())
                .isTrue();
        return m.group(1);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /**
     * What a master's web UI answers, asked again for up to a minute: a master JVM under load can miss the 3-s
     * request timeout once without anything being wrong.
     */
    private static <T> T answered(Supplier<Optional<T>> read, String what) {
        AtomicReference<T> value = new AtomicReference<>();
        eventually(
                Duration.ofMinutes(1),
                () -> {
                    read.get().ifPresent(value::set);
                    return value.get() != null;
                },
                what + " answered");
        return value.get();
    }

    /** The ids of the drivers the active master runs (a relaunched driver gets a new id). */
    private static List<String> activeDrivers() {
        List<String> ids = new java.util.ArrayList<>();
        answered(cluster::state, "the active master's state")
                .path("activedrivers")
                .forEach(d -> ids.add(d.path("id").asText()));
        return ids;
    }

    /**
     * Kills every driver through the master (a supervised driver is not relaunched after that), asking again while a
     * worker still runs one: a kill that races a relaunch names an id that no longer runs. A failure says what the
     * master listed, what each kill answered and which driver processes are left.
     */
    private static void killDrivers(Path work) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        StringBuilder attempts = new StringBuilder();
        while (true) {
            List<String> ids = activeDrivers();
            attempts.append(String.format("%nmaster listed %s", ids));
            for (String id : ids) {
                try (ChildProcess kill =
                        SparkSubmission.kill(cluster.masterUrl(), id, work.resolve("kill-" + id + ".log"))) {
                    attempts.append(String.format(
                            "%n  kill %s: exit %s, %s",
                            id,
                            kill.awaitExit(Duration.ofMinutes(1)),
                            kill.tail().strip()));
                }
            }
            long waitUntil =
                    Math.min(end, System.nanoTime() + Duration.ofSeconds(40).toNanos());
            while (System.nanoTime() < waitUntil
                    && cluster.workerRunningDriver().isPresent()) {
                TimeUnit.MILLISECONDS.sleep(250); // the polling interval, not a synchronisation
            }
            Optional<SparkWorker> left = cluster.workerRunningDriver();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(String.format(
                        "a driver still runs on %s (pids %s) after killing what the master listed:%s",
                        left.get(),
                        left.get().drivers().stream().map(ProcessHandle::pid).toList(),
                        attempts));
            }
        }
    }

    /** Runs a test's body, then kills its drivers; a failure of the body is the one reported. */
    private static void thenKillDrivers(Path work, Body body) throws Exception {
        try {
            body.run();
        } catch (Throwable failure) {
            try {
                killDrivers(work);
            } catch (Throwable cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        killDrivers(work);
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }
}
