package io.sluice.demo;

import io.sluice.demo.cluster.ClusterCommand;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.Mix;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice demo}: the whole pipeline on embedded real servers (ZooKeeper, a Kafka broker, an HBase mini
 * cluster, an S3 server, a local directory standing in for HDFS), the generator, and the driver in {@code local[2]},
 * with live progress. With {@code --events N} it stops once N events are processed and verifies every output against
 * the generator's ground truth. Ctrl-C stops cleanly; a second run in the same directory resumes. This class reads
 * and checks the options and starts the servers; each mode is a class of its own: {@link LocalKafkaDemo}, {@link
 * PushDemo} ({@code --source http}) and {@link SupervisedDemo} ({@code --drivers N}, {@code --on-cluster}).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs Sluice end to end on embedded servers and verifies the outcome.")
public final class DemoCommand implements Callable<Integer> {
    /** The variable sluice.http-source.token-env names in the demo's properties (its value made per run). */
    private static final String DEMO_TOKEN_ENV = "SLUICE_DEMO_HTTP_TOKEN";

    private static String newToken() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

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
                    + " back (sluice.job.results.idle-partition-ms). Default ${DEFAULT-VALUE}.")
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

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one of the driver's properties (repeatable), e.g. --set sluice.jobs=archive,"
                    + "event-store,results,page-views to add a job from a jar on SLUICE_CLASSPATH.")
    List<String> overrides = new ArrayList<>();

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
        DemoOptions options =
                new DemoOptions(events, rate, partitions, drivers, killLeaderEvery, onCluster, deployMode, clusterDir);
        CountDownLatch finished = new CountDownLatch(1);
        try (DemoServers servers = DemoServers.start(dataDir)) {
            servers.kafka().createTopic(DemoRun.TOPIC, partitions + idlePartitions);
            servers.s3().createBucket(DemoRun.BUCKET);
            // the receivers' token: made for this run and handed to the driver as its environment would (never in the
            // properties file); the demo's sender takes it from the settings
            SluiceSettings settings = SettingsLoader.load(writeProperties(servers), Map.of(DEMO_TOKEN_ENV, newToken()));
            DemoRun run = new DemoRun(options, dataDir, servers, settings, generator, state);
            if (drivers > 1 || onCluster) {
                return SupervisedDemo.run(run, finished);
            }
            DriverRuntime driver = new DriverRuntime(
                    settings,
                    new SparkConf()
                            .setMaster(push ? "local[4]" : "local[2]") // each receiver holds a core
                            .set("spark.ui.showConsoleProgress", "false")
                            .set("spark.driver.memory", "1g"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopLocal(run, finished), "demo-shutdown"));
            driver.start();
            return push ? PushDemo.run(run, driver) : LocalKafkaDemo.run(run, driver);
        } finally {
            finished.countDown();
        }
    }

    /** Ctrl-C with the driver in this JVM: the generator flushes and records what it sent, so a second run continues. */
    private void stopLocal(DemoRun run, CountDownLatch finished) {
        if (finished.getCount() == 0) {
            return;
        }
        run.stop();
        System.out.println("demo: stopping: finishing received batches; data stays in " + dataDir);
        try {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                System.out.println("demo: the driver did not stop in 30 s; stopping the servers anyway"
                        + " (nothing is lost: uncommitted batches are written again by the next run)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            run.servers.close();
        }
    }

    private Map<String, String> writeProperties(DemoServers servers) throws Exception {
        Map<String, String> p = new TreeMap<>();
        p.put("sluice.app.name", "demo");
        p.put("sluice.zookeeper.connect", servers.zookeeper().connectString());
        p.put("sluice.kafka.bootstrap-servers", servers.kafka().bootstrapServers());
        p.put("sluice.kafka.topics", DemoRun.TOPIC);
        p.put("sluice.streaming.batch-interval-ms", "2000");
        // in local mode Spark stops its executor before a graceful stop can finish its batches, so Ctrl-C would
        // hang for the whole timeout; a plain stop is as safe (uncommitted batches are written again next run)
        p.put("spark.streaming.stopGracefullyOnShutdown", "false");
        p.put("sluice.checkpoint.dir", dataDir.resolve("checkpoint").toUri().toString());
        p.put("sluice.job.archive.roots", dataDir.resolve("archive").toUri() + ",s3a://" + DemoRun.BUCKET + "/archive");
        p.put("sluice.hbase.zookeeper.quorum", servers.hbase().zookeeperQuorum());
        p.put("sluice.hbase.zookeeper.port", Integer.toString(servers.hbase().zookeeperPort()));
        p.put("sluice.hbase.salt-buckets", "8");
        // the idle partitions stop holding the watermark back well within a leader's life under --kill-leader-every
        p.put("sluice.job.results.idle-partition-ms", "10000");
        servers.s3().s3aProperties().forEach((k, v) -> p.put("spark.hadoop." + k, v));
        if (source.equals("http")) { // the generator pushes to the driver's receivers; no Kafka is read
            p.keySet().removeIf(k -> k.startsWith("sluice.kafka."));
            p.put("sluice.source", "http");
            p.put("sluice.http-source.host", "127.0.0.1");
            p.put("sluice.http-source.ports", "9600-9699");
            p.put("sluice.http-source.token-env", DEMO_TOKEN_ENV);
            // everything listens on 127.0.0.1 only: the demo's receivers skip TLS (a cluster's must not)
            p.put("sluice.http-source.plain-http", "true");
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
        SettingsLoader.properties(null, overrides).forEach((k, v) -> p.put((String) k, (String) v));
        Properties file = new Properties();
        file.putAll(p);
        try (Writer out = Files.newBufferedWriter(dataDir.resolve("sluice-demo.properties"))) {
            file.store(out, "the properties the demo's driver runs with (servers listen on 127.0.0.1)");
        }
        return p;
    }
}
