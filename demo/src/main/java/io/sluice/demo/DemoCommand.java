package io.sluice.demo;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ZooKeeperOffsetStore;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.demo.cluster.ClusterCommand;
import io.sluice.demo.cluster.SparkSubmission;
import io.sluice.demo.generator.EventGenerator;
import io.sluice.demo.generator.EventProducer;
import io.sluice.demo.generator.GroundTruth;
import io.sluice.demo.generator.Mix;
import io.sluice.demo.verify.ArchiveContents;
import io.sluice.demo.verify.CommittedArchives;
import io.sluice.demo.verify.EventStoreContents;
import io.sluice.demo.verify.Outcome;
import io.sluice.demo.verify.OutcomeVerifier;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.results.ResultsCheck;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.sink.hbase.ResultsReader;
import io.sluice.jobs.source.TopicEnds;
import io.sluice.wal.EventSender;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice demo}: the whole pipeline on embedded real servers (ZooKeeper, a Kafka broker, an HBase mini
 * cluster, an S3 server, a local directory standing in for HDFS), the generator, and the driver in {@code local[2]},
 * with live progress. With {@code --events N} it stops once N events are processed and verifies every output against
 * the generator's ground truth. Ctrl-C stops cleanly; a second run in the same directory resumes.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs Sluice end to end on embedded servers and verifies the outcome.")
public final class DemoCommand implements Callable<Integer> {
    static final String TOPIC = "events";
    static final String BUCKET = "sluice-archive";
    private static final Mix DEFAULT_MIX = Mix.realistic(0.02, 0.01);

    @Option(
            names = "--events",
            description =
                    "Stop after this many more events are processed, then verify (0 = run until Ctrl-C). Default ${DEFAULT-VALUE}.")
    long events = 50_000;

    @Option(
            names = "--rate",
            description = "Events per second the generator sends (0 = as fast as possible). Default ${DEFAULT-VALUE}.")
    long rate = 10_000;

    @Option(names = "--malformed-share", description = "Share of malformed events, 0 to 1. Default ${DEFAULT-VALUE}.")
    double malformedShare = 0.02;

    @Option(
            names = "--late-share",
            description =
                    "Share of valid events sent 10 minutes behind the others (late), 0 to 1. Default ${DEFAULT-VALUE}.")
    double lateShare = 0.01;

    @Option(
            names = "--skewed-share",
            description = "Share of events from producers whose clocks run "
                    + EventGenerator.AHEAD_BY_MS / 1000 + " s ahead or " + EventGenerator.BEHIND_BY_MS / 1000
                    + " s behind, 0 to 1. Default ${DEFAULT-VALUE}.")
    double skewedShare = DEFAULT_MIX.skewed();

    @Option(
            names = "--future-share",
            description = "Share of events from producers with a wrong clock (eleven months ahead, or microseconds):"
                    + " dead-lettered as future, 0 to 1. Default ${DEFAULT-VALUE}.")
    double futureShare = DEFAULT_MIX.future();

    @Option(
            names = "--resend-share",
            description = "Share of records that resend an earlier event (same event_id, later offset), as an"
                    + " at-least-once producer does; kept once, 0 to 1. Default ${DEFAULT-VALUE}.")
    double resendShare = DEFAULT_MIX.duplicate();

    @Option(
            names = "--odd-share",
            description = "Share of valid events with a byte order mark or line breaks between tokens, 0 to 1."
                    + " Default ${DEFAULT-VALUE}.")
    double oddShare = DEFAULT_MIX.oddButValid();

    @Option(
            names = "--seed",
            description = "Generator seed (a resumed run keeps the first run's). Default ${DEFAULT-VALUE}.")
    long seed = 42;

    @Option(
            names = "--partitions",
            description = "Partitions of the events topic that get events. Default ${DEFAULT-VALUE}.")
    int partitions = 4;

    @Option(
            names = "--idle-partitions",
            description = "More partitions of the topic that get no event: they must not hold the results' watermark"
                    + " back (sluice.results.idle-partition-ms). Default ${DEFAULT-VALUE}.")
    int idlePartitions = 1;

    @Option(
            names = "--drivers",
            description = "Driver processes electing a leader in ZooKeeper, supervised as Marathon would (1 = the"
                    + " driver in this JVM). Default ${DEFAULT-VALUE}.")
    int drivers = 1;

    @Option(
            names = "--kill-leader-every",
            converter = DurationOption.class,
            paramLabel = "DURATION",
            description = "With --drivers >= 2: kill -9 the leader this often (e.g. 20s, 1m, 500ms).")
    Duration killLeaderEvery;

    @Option(
            names = "--source",
            description = "kafka (the generator writes to a topic) or http (it pushes to the driver's reliable"
                    + " receivers with the sender). Default ${DEFAULT-VALUE}.")
    String source = "kafka";

    @Option(
            names = "--on-cluster",
            description = "Submit the driver with spark-submit to the Spark standalone cluster of `./bin/sluice cluster"
                    + " up` (in --cluster-dir) instead of running it in local mode.")
    boolean onCluster;

    @Option(
            names = "--deploy-mode",
            description = "With --on-cluster: cluster (a worker runs the driver, supervised by the master) or client"
                    + " (the driver is a child process of the demo). Default ${DEFAULT-VALUE}.")
    String deployMode = "cluster";

    @Option(names = "--cluster-dir", description = "The directory of `cluster up`. Default ${DEFAULT-VALUE}.")
    Path clusterDir = Path.of("cluster-data");

    @Option(names = "--data-dir", description = "Where servers, checkpoint and archive live. Default ${DEFAULT-VALUE}.")
    Path dataDir = Path.of("demo-data");

    private volatile boolean stopping;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (events < 0
                || rate < 0
                || malformedShare < 0
                || malformedShare > 1
                || lateShare < 0
                || lateShare > 1
                || partitions < 1
                || idlePartitions < 0
                || drivers < 1) {
            System.err.println("demo: --events and --rate must be >= 0, --malformed-share and --late-share within"
                    + " [0, 1], --partitions >= 1, --idle-partitions >= 0, --drivers >= 1");
            return 2;
        }
        if (killLeaderEvery != null && drivers < 2) {
            System.err.println("demo: --kill-leader-every needs --drivers 2 or more (a standby to take over)");
            return 2;
        }
        if (!source.equals("kafka") && !source.equals("http")) {
            System.err.println("demo: --source must be kafka or http, not '" + source + "'");
            return 2;
        }
        boolean push = source.equals("http");
        if (push && (drivers > 1 || onCluster)) {
            System.err.println("demo: --source http runs one local driver; drop --drivers and --on-cluster");
            return 2;
        }
        if (push && (lateShare > 0 || skewedShare > 0)) {
            // the source's clock moves per batch, so which event is late depends on where batches were cut, which the
            // generator's ground truth cannot know: the demo sends none late (late events are still judged and counted)
            System.out.println("demo: --source http sends no deliberately late or skewed events (--late-share and"
                    + " --skewed-share ignored)");
            lateShare = 0;
            skewedShare = 0;
        }
        if (push && dataDir.equals(Path.of("demo-data"))) {
            dataDir = Path.of("demo-data-http"); // never mixed with a Kafka run's outputs and counts
        }
        if (onCluster && drivers > 1) {
            System.err.println("demo: --on-cluster runs one submitted driver; use --drivers without it");
            return 2;
        }
        if (!deployMode.equals("cluster") && !deployMode.equals("client")) {
            System.err.println("demo: --deploy-mode must be client or cluster, not '" + deployMode + "'");
            return 2;
        }
        if (onCluster && ClusterCommand.masterUrl(clusterDir).isEmpty()) {
            System.err.println("demo: --on-cluster needs a running cluster in " + clusterDir.toAbsolutePath()
                    + ": start one with ./bin/sluice cluster up");
            return 2;
        }
        dataDir = dataDir.toAbsolutePath();
        Files.createDirectories(dataDir);
        DemoState state = DemoState.load(dataDir, seed, EventGenerator.defaultStart(System.currentTimeMillis()));
        EventGenerator generator = new EventGenerator(
                state.seed(),
                new Mix(malformedShare, lateShare, skewedShare, futureShare, resendShare, oddShare),
                state.start());
        CountDownLatch finished = new CountDownLatch(1);
        try (DemoServers servers = DemoServers.start(dataDir)) {
            servers.kafka().createTopic(TOPIC, partitions + idlePartitions);
            servers.s3().createBucket(BUCKET);
            SluiceSettings settings = SettingsLoader.load(writeProperties(servers));
            if (drivers > 1 || onCluster) {
                return supervised(servers, settings, generator, state, finished);
            }
            DriverRuntime driver = new DriverRuntime(
                    settings,
                    new SparkConf()
                            .setMaster(push ? "local[4]" : "local[2]") // each receiver holds a core
                            .set("spark.ui.showConsoleProgress", "false")
                            .set("spark.driver.memory", "1g"));
            Thread hook = new Thread(
                    () -> {
                        if (finished.getCount() == 0) {
                            return;
                        }
                        stopping = true; // the generator flushes what it sent and records it, so a second run continues
                        // exactly
                        System.out.println("demo: stopping: finishing received batches; data stays in " + dataDir);
                        try {
                            if (!finished.await(30, TimeUnit.SECONDS)) {
                                System.out.println("demo: the driver did not stop in 30 s; stopping the servers anyway"
                                        + " (nothing is lost: uncommitted batches are written again by the next run)");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            servers.close();
                        }
                    },
                    "demo-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            driver.start();
            if (push) {
                long target = events == 0 ? Long.MAX_VALUE : state.sent() + events;
                DemoState[] current = {state};
                long from = state.sent();
                CompletableFuture<Long> pushing =
                        CompletableFuture.supplyAsync(() -> push(settings, generator, current, target));
                boolean complete = watchPushed(settings, driver, pushing, current, from);
                driver.stop(true);
                return complete && verify(settings, generator, current[0].sent(), "") ? 0 : complete ? 1 : 0;
            }
            SentEvents inKafka = SentEvents.read(servers.kafka().bootstrapServers(), TOPIC, partitions);
            if (inKafka.firstMissing() != state.sent()) {
                System.out.printf(
                        "demo: Kafka holds %,d events, the last run recorded %,d (it did not stop cleanly):"
                                + " continuing at event %,d without sending any event twice%n",
                        inKafka.total(), state.sent(), inKafka.firstMissing());
                state = state.withSent(inKafka.firstMissing());
            }
            long target = events == 0 ? Long.MAX_VALUE : state.sent() + events;
            DemoState[] current = {state};
            CompletableFuture<Long> producing =
                    CompletableFuture.supplyAsync(() -> produce(servers, generator, current, target, inKafka));
            boolean complete = watch(settings, servers, driver, producing, current);
            driver.stop(true);
            if (!complete) {
                return 0;
            }
            return verify(settings, generator, current[0].sent(), "") ? 0 : 1;
        } finally {
            finished.countDown();
        }
    }

    /**
     * {@code --drivers N}: N driver processes elect a leader; a supervisor relaunches any that exits, and with
     * {@code --kill-leader-every} the leader is killed with {@code kill -9} repeatedly. Progress comes from the
     * offsets committed in ZooKeeper; the outcome is verified as in the one-driver demo, plus the failovers seen.
     */
    private int supervised(
            DemoServers servers,
            SluiceSettings settings,
            EventGenerator generator,
            DemoState state,
            CountDownLatch finished)
            throws Exception {
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
                                stopping = true;
                                System.out.println("demo: stopping the drivers and servers; data stays in " + dataDir);
                                supervisor.close();
                                servers.close();
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
        SentEvents inKafka = SentEvents.read(servers.kafka().bootstrapServers(), TOPIC, partitions);
        state = state.withSent(inKafka.firstMissing());
        long target = events == 0 ? Long.MAX_VALUE : state.sent() + events;
        DemoState[] current = {state};
        CompletableFuture<Long> producing =
                CompletableFuture.supplyAsync(() -> produce(servers, generator, current, target, inKafka));
        long started = System.nanoTime();
        long nextKill = killLeaderEvery == null ? Long.MAX_VALUE : started + killLeaderEvery.toNanos();
        try (TopicEnds ends = new TopicEnds(servers.kafka().bootstrapServers(), TOPIC);
                CuratorFramework zk = CuratorFrameworkFactory.newClient(
                        servers.zookeeper().connectString(), new ExponentialBackoffRetry(200, 10))) {
            zk.start();
            ZooKeeperOffsetStore offsets =
                    new ZooKeeperOffsetStore(zk, ZooKeeperPaths.forApplication(settings.appName()));
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
                        current[0].sent(),
                        committed.asMap().values().stream()
                                .mapToLong(Long::longValue)
                                .sum(),
                        lag,
                        supervisor.leader().orElse("(none)"),
                        supervisor.failovers());
                if (producing.isDone()) {
                    producing.join();
                    if (lag == 0 && events > 0) {
                        break;
                    }
                }
            }
        } finally {
            supervisor.close();
        }
        boolean exact = verify(settings, generator, current[0].sent(), " failovers=" + supervisor.failovers());
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

    private long produce(
            DemoServers servers, EventGenerator generator, DemoState[] state, long target, SentEvents inKafka) {
        try (EventProducer producer = new EventProducer(servers.kafka().bootstrapServers(), TOPIC, partitions)) {
            long next = state[0].sent();
            while (next < target && !stopping) {
                long chunk = Math.min(target, next + Math.max(1000, rate));
                next = producer.send(generator, next, chunk, rate, () -> !stopping, inKafka::contains);
                state[0] = state[0].withSent(next);
            }
            return next;
        } catch (Exception e) {
            throw new IllegalStateException("demo: the generator failed: " + e, e);
        }
    }

    /**
     * {@code --source http}: pushes events {@code [sent, target)} with the sender (receivers found in ZooKeeper), at
     * about {@code --rate}; a chunk counts as sent once every event of it was acknowledged.
     */
    private long push(SluiceSettings settings, EventGenerator generator, DemoState[] state, long target) {
        try (EventSender sender = EventSender.discovering(
                settings.zookeeperConnect(),
                settings.httpSource().receiver().registryPath(),
                EventSender.Options.defaults().withBatchSize(2000).withGzip(true))) {
            long next = state[0].sent();
            while (next < target && !stopping) {
                long chunkStart = System.nanoTime();
                long end = Math.min(target, next + Math.max(1000, rate == 0 ? 5000 : rate / 2));
                long from = next;
                sender.send(java.util.stream.LongStream.range(from, end)
                        .mapToObj(seq -> generator.event(seq).ndjsonLine())
                        .iterator());
                next = end;
                state[0] = state[0].withSent(next);
                if (rate > 0) {
                    long due = chunkStart + TimeUnit.SECONDS.toNanos(end - from) / rate;
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                }
            }
            return next;
        } catch (Exception e) {
            throw new IllegalStateException("demo: the sender failed: " + e, e);
        }
    }

    /**
     * Progress of a push run until every pushed event is written (true) or the driver stops (false): the lag is what
     * this run pushed minus what its batches wrote (copies of retried requests are not written, so they never count).
     */
    private boolean watchPushed(
            SluiceSettings settings,
            DriverRuntime driver,
            CompletableFuture<Long> pushing,
            DemoState[] state,
            long from)
            throws Exception {
        ProgressDisplay display = new ProgressDisplay(state[0].sent());
        while (true) {
            if (driver.awaitTermination(2000)) {
                return false;
            }
            var snapshot = driver.metrics().snapshot();
            long lag = Math.max(0, state[0].sent() - from - snapshot.records() - snapshot.duplicates());
            display.print(state[0].sent(), snapshot, lag);
            if (pushing.isDone()) {
                pushing.join();
                if (lag == 0) {
                    return true;
                }
            }
        }
    }

    /** Shows progress until every produced event is committed (true) or the driver stops (false). */
    private boolean watch(
            SluiceSettings settings,
            DemoServers servers,
            DriverRuntime driver,
            CompletableFuture<Long> producing,
            DemoState[] state)
            throws Exception {
        ProgressDisplay display = new ProgressDisplay(state[0].sent());
        try (TopicEnds ends = new TopicEnds(servers.kafka().bootstrapServers(), TOPIC);
                Connection hbase = ConnectionFactory.createConnection(
                        settings.pipeline().hbase().clientConfiguration())) {
            ResultsReader results =
                    new ResultsReader(hbase, settings.pipeline().results().table());
            while (true) {
                if (driver.awaitTermination(2000)) {
                    return false;
                }
                long lag = driver.committed().lag(ends.endOffsets());
                display.print(state[0].sent(), driver.metrics().snapshot(), lag);
                display.printTop(results.latestTop());
                if (producing.isDone()) {
                    producing.join();
                    if (lag == 0) {
                        return true;
                    }
                }
            }
        }
    }

    private boolean verify(SluiceSettings settings, EventGenerator generator, long sent, String extra)
            throws Exception {
        System.out.println("demo: verifying HBase and every archive root against the generator's ground truth");
        ResultsSettings results = settings.pipeline().results();
        long lateness = results.enabled() ? results.allowedLatenessMs() : -1;
        GroundTruth truth = settings.kafka() == null
                ? GroundTruth.of( // push ingestion: one event-time clock for the source, fed in sending order
                        generator, sent, 1, lateness, results.maxFutureMs())
                : GroundTruth.of(
                        generator,
                        sent,
                        SentEvents.read(settings.kafka().bootstrapServers(), TOPIC, partitions)
                                .partitions(),
                        lateness,
                        results.maxFutureMs());
        // a driver killed between a batch's ZooKeeper commit and its publication left that batch staged: roll it
        // forward as the next start would, so that what is only unpublished is not counted as lost
        CommittedArchives committedArchives = CommittedArchives.read(settings);
        if (committedArchives.filesRolledForward() > 0) {
            System.out.printf(
                    "demo: published %,d files of the committed stage %s that its driver had not published%n",
                    committedArchives.filesRolledForward(), committedArchives.committedStage());
        }
        List<ArchiveContents> archives = committedArchives.archives();
        for (ArchiveContents archive : archives) {
            System.out.printf(
                    "demo: archive %s: %,d event lines, %,d dead letters %s%n",
                    archive.root(), archive.lines(), archive.deadLetters(), new TreeMap<>(archive.deadLetterReasons()));
        }
        EventStoreContents hbase;
        try (Connection connection =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            hbase = EventStoreContents.read(
                    connection, settings.pipeline().hbase().eventTable());
        }
        Outcome outcome = OutcomeVerifier.verify(truth, hbase, archives);
        if (settings.pipeline().results().enabled()) {
            System.out.println("demo: recounting the archive with Spark and comparing it with the results table");
            SparkConf recount = new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("sluice-demo-recount")
                    .set("spark.ui.enabled", "false");
            settings.pipeline().hadoopProperties().forEach((k, v) -> recount.set("spark.hadoop." + k, v));
            try (JavaSparkContext sc = new JavaSparkContext(recount)) {
                ResultsCheck.Report report = ResultsCheck.run(
                        settings, sc, settings.pipeline().archiveRoots().get(0));
                report.differences().forEach(d -> System.out.println("demo: results difference: " + d));
                System.out.println("demo: results: " + report.summary());
                System.out.println("demo: comparing the results table with the generator's ground truth");
                List<String> fromTruth = ResultsCheck.against(settings, truth.results(results));
                fromTruth.forEach(d -> System.out.println("demo: results vs ground truth: " + d));
                outcome = outcome.withResultsExact(report.exact() && fromTruth.isEmpty());
            }
        }
        boolean exact = outcome.exact(truth);
        System.out.println(outcome.summary() + extra);
        if (!exact) {
            System.out.println(
                    "demo: FAILED: expected valid=" + truth.validIds().size() + " dead_letter="
                            + truth.deadLetters() + " late=" + truth.lateIds().size() + " future="
                            + truth.futureIds().size()
                            + " dead letters by reason " + truth.deadLettersByReason()
                            + ", hbase_rows=archived=valid, lost=0, duplicated=0, results_exact=true");
        }
        return exact;
    }

    private Map<String, String> writeProperties(DemoServers servers) throws Exception {
        Map<String, String> p = new TreeMap<>();
        p.put("sluice.app.name", "demo");
        p.put("sluice.zookeeper.connect", servers.zookeeper().connectString());
        p.put("sluice.kafka.bootstrap-servers", servers.kafka().bootstrapServers());
        p.put("sluice.kafka.topics", TOPIC);
        p.put("sluice.streaming.batch-interval-ms", "2000");
        // in local mode Spark stops its executor before a graceful stop can finish its batches, so Ctrl-C would
        // hang for the whole timeout; a plain stop is as safe (uncommitted batches are written again next run)
        p.put("spark.streaming.stopGracefullyOnShutdown", "false");
        p.put("sluice.checkpoint.dir", dataDir.resolve("checkpoint").toUri().toString());
        p.put("sluice.archive.roots", dataDir.resolve("archive").toUri() + ",s3a://" + BUCKET + "/archive");
        p.put("sluice.hbase.zookeeper.quorum", servers.hbase().zookeeperQuorum());
        p.put("sluice.hbase.zookeeper.port", Integer.toString(servers.hbase().zookeeperPort()));
        p.put("sluice.hbase.salt-buckets", "8");
        // the idle partitions stop holding the watermark back well within a leader's life under --kill-leader-every
        p.put("sluice.results.idle-partition-ms", "10000");
        servers.s3().s3aProperties().forEach((k, v) -> p.put("spark.hadoop." + k, v));
        if (source.equals("http")) { // the generator pushes to the driver's receivers; no Kafka is read
            p.keySet().removeIf(k -> k.startsWith("sluice.kafka."));
            p.put("sluice.source", "http");
            p.put("sluice.http-source.host", "127.0.0.1");
            p.put("sluice.http-source.ports", "9600-9699");
        }
        if (onCluster) { // two executors of one core; the master URL comes from spark-submit
            p.put("spark.executor.cores", "1");
            p.put("spark.cores.max", "2");
            p.put("spark.executor.memory", "768m");
            p.put("spark.driver.memory", "1g");
            p.put("spark.streaming.stopGracefullyOnShutdown", "true");
            p.put("sluice.http.port", "0");
            p.put("sluice.zookeeper.session-timeout-ms", "5000");
            p.put("sluice.ha.suspended-grace-ms", "3000");
        } else if (drivers > 1) { // the drivers are separate processes reading this file, as under spark-submit
            p.put("spark.master", "local[2]");
            p.put("spark.ui.enabled", "false");
            p.put("sluice.http.port", "0");
            p.put("sluice.zookeeper.session-timeout-ms", "5000");
            p.put("sluice.ha.suspended-grace-ms", "3000");
        }
        Properties file = new Properties();
        file.putAll(p);
        try (Writer out = Files.newBufferedWriter(dataDir.resolve("sluice-demo.properties"))) {
            file.store(out, "the properties the demo's driver runs with (servers listen on 127.0.0.1)");
        }
        return p;
    }
}
