package io.sluice.demo;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ZooKeeperClients;
import io.sluice.checkpoint.ZooKeeperOffsetStore;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.demo.cluster.ClusterCommand;
import io.sluice.jobs.source.TopicEnds;
import io.sluice.testkit.cluster.SparkSubmission;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/** The supervised modes: several driver processes electing a leader, or one submitted to a Spark cluster. */
final class SupervisedDemo {
    private SupervisedDemo() {}

    /**
     * {@code --drivers N}: N driver processes elect a leader; a supervisor relaunches any that exits, and with
     * {@code --kill-leader-every} the leader is killed with {@code kill -9} repeatedly. Progress comes from the
     * offsets committed in ZooKeeper; the outcome is verified as in the one-driver demo, plus the failovers seen.
     */
    static int run(DemoRun run, CountDownLatch finished) throws Exception {
        DemoOptions options = run.options;
        Path dataDir = run.dataDir;
        Path clusterDir = options.clusterDir();
        String deployMode = options.deployMode();
        boolean onCluster = options.onCluster();
        int drivers = options.drivers();
        Duration killLeaderEvery = options.killLeaderEvery();
        Path config = dataDir.resolve("sluice-demo.properties");
        DemoDrivers supervisor = onCluster
                ? new ClusterDrivers(
                        ClusterCommand.masterUrl(clusterDir).orElseThrow(),
                        ClusterCommand.masterUis(clusterDir),
                        SparkSubmission.DeployMode.valueOf(deployMode.toUpperCase(java.util.Locale.ROOT)),
                        config,
                        dataDir.resolve("drivers"))
                : new DriverSupervisor(config, dataDir.resolve("drivers"), drivers);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (finished.getCount() > 0) {
                                run.stop();
                                System.out.println("demo: stopping the drivers and servers; data stays in " + dataDir);
                                supervisor.close();
                                run.servers.close();
                            }
                        },
                        "demo-shutdown"));
        if (onCluster) {
            System.out.printf(
                    "demo: the driver submitted in %s mode to %s (spark-submit log in %s; Spark UIs: ./bin/sluice"
                            + " cluster status)%n",
                    deployMode, ClusterCommand.masterUrl(clusterDir).orElseThrow(), dataDir.resolve("drivers"));
        } else {
            System.out.printf(
                    "demo: %d driver processes (logs in %s)%s%n",
                    drivers,
                    dataDir.resolve("drivers"),
                    killLeaderEvery == null
                            ? ""
                            : ", the leader killed with kill -9 every " + killLeaderEvery.toMillis() + " ms");
        }
        supervisor.start();
        SentEvents inKafka =
                SentEvents.read(run.servers.kafka().bootstrapServers(), DemoRun.TOPIC, options.partitions());
        run.sent(inKafka.firstMissing());
        long target = run.target();
        CompletableFuture<Long> producing = CompletableFuture.supplyAsync(() -> run.produce(target, inKafka));
        long started = System.nanoTime();
        long nextKill = killLeaderEvery == null ? Long.MAX_VALUE : started + killLeaderEvery.toNanos();
        try (TopicEnds ends = new TopicEnds(run.servers.kafka().bootstrapServers(), DemoRun.TOPIC);
                CuratorFramework zk =
                        ZooKeeperClients.client(run.servers.zookeeper().connectString())) {
            zk.start();
            ZooKeeperOffsetStore offsets =
                    new ZooKeeperOffsetStore(zk, ZooKeeperPaths.forApplication(run.settings.appName()));
            while (true) {
                TimeUnit.SECONDS.sleep(2);
                if (System.nanoTime() >= nextKill) {
                    supervisor.killLeader();
                    nextKill = System.nanoTime() + killLeaderEvery.toNanos();
                }
                CommittedOffsets committed = offsets.load();
                long lag = committed.lag(ends.endOffsets());
                System.out.printf(
                        "[%4ds] produced %,d | committed %,d | lag %,d | leader %s | failovers %d%n",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                        run.sent(),
                        committed.asMap().values().stream()
                                .mapToLong(Long::longValue)
                                .sum(),
                        lag,
                        supervisor.leader().orElse("(none)"),
                        supervisor.failovers());
                if (producing.isDone()) {
                    producing.join();
                    if (lag == 0 && options.events() > 0) {
                        break;
                    }
                }
            }
        } finally {
            supervisor.close();
        }
        boolean exact = run.verify(" failovers=" + supervisor.failovers());
        List<Long> takeovers = supervisor.takeoverMillis();
        if (!takeovers.isEmpty()) {
            System.out.printf(
                    "demo: %d kills, takeover (kill -9 to the new leader's first commit) min %,d ms, max %,d ms%n",
                    supervisor.kills(),
                    takeovers.stream().mapToLong(Long::longValue).min().orElse(0),
                    takeovers.stream().mapToLong(Long::longValue).max().orElse(0));
        }
        return exact ? 0 : 1;
    }
}
