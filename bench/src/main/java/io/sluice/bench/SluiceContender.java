package io.sluice.bench;

import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.jobs.source.TopicEnds;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.verify.ArchiveContents;
import io.sluice.testkit.verify.CommittedArchives;
import io.sluice.testkit.verify.EventStoreContents;
import io.sluice.testkit.verify.Outcome;
import io.sluice.testkit.verify.OutcomeVerifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.hbase.ServerName;
import org.apache.hadoop.hbase.Size;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.SparkConf;

/**
 * Sluice itself, in this JVM as the demo runs it ({@code local[N]}, exactly-once on): either the archive job alone
 * (local file system) or every job and sink (HBase event store, results counts and top experiments, archive). Timed
 * from the running streaming context to the commit of the last offset; the SparkContext's start-up is not timed.
 * Afterwards the outputs are compared with the workload's ground truth.
 */
final class SluiceContender implements Contender {
    private final boolean full;
    private volatile Map<String, Long> lastResultsGauges = Map.of();

    SluiceContender(boolean full) {
        this.full = full;
    }

    /** The results job's gauges at the end of the last run (open cells, state bytes); empty without that job. */
    Map<String, Long> lastResultsGauges() {
        return lastResultsGauges;
    }

    @Override
    public String name() {
        return full ? "sluice-full" : "sluice-archive";
    }

    /** The pipeline's properties for one run: its own application name, checkpoint, archive and tables. */
    Map<String, String> properties(BenchContext context, String run) {
        return properties(context, run, context.workload().topic());
    }

    private Map<String, String> properties(BenchContext context, String run, String topic) {
        Path dir = context.workDir().resolve(run);
        Map<String, String> p = new TreeMap<>();
        p.put("sluice.app.name", run);
        p.put("sluice.zookeeper.connect", context.zookeeperConnect());
        p.put("sluice.kafka.bootstrap-servers", context.bootstrapServers());
        p.put("sluice.kafka.topics", topic);
        p.put("sluice.kafka.reset-policy", "earliest");
        p.put("sluice.kafka.max-rate-per-partition", Long.toString(context.maxRatePerPartition()));
        p.put("sluice.kafka.backpressure", "false");
        p.put("sluice.streaming.batch-interval-ms", Long.toString(context.batchIntervalMs()));
        p.put("spark.streaming.stopGracefullyOnShutdown", "false");
        p.put("sluice.checkpoint.dir", dir.resolve("checkpoint").toUri().toString());
        p.put("sluice.job.archive.roots", dir.resolve("archive").toUri().toString());
        p.put("sluice.jobs", full ? "archive,event-store,results" : "archive");
        if (full) {
            p.put("sluice.hbase.zookeeper.quorum", context.hbaseQuorum());
            p.put("sluice.hbase.zookeeper.port", Integer.toString(context.hbasePort()));
            p.put("sluice.hbase.event-table", run.replace('-', '_') + "_events");
            p.put("sluice.job.results.table", run.replace('-', '_') + "_results");
            p.put("sluice.hbase.salt-buckets", "8");
        }
        return p;
    }

    @Override
    public RunFigures run(BenchContext context, int repetition, boolean warmUp) throws Exception {
        String run = "bench-" + name() + "-" + repetition;
        SluiceSettings settings = SettingsLoader.load(properties(context, run));
        Workload workload = context.workload();
        DriverRuntime driver = driver(context, settings);
        long started;
        long finished;
        RunMeter meter;
        RunMeter.Cost cost;
        try (TopicEnds ends = new TopicEnds(context.bootstrapServers(), workload.topic())) {
            driver.start();
            meter = RunMeter.start(context.servers());
            started = meter.startedNanos();
            Map<io.sluice.checkpoint.TopicPartitionKey, Long> end = ends.endOffsets();
            while (driver.committed().lag(end) > 0) {
                meter.progress(driver.committed().asMap().values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
                if (driver.awaitTermination(50)) {
                    throw new IllegalStateException(name() + ": the driver stopped before the workload was done");
                }
            }
            finished = System.nanoTime();
            cost = meter.finish(workload.events());
            lastResultsGauges = driver.metrics().snapshot().gauges().getOrDefault("results", Map.of());
        } finally {
            driver.stop(false);
        }
        double seconds = (finished - started) / 1e9;
        List<long[]> delays = driver.metrics().batchDelays();
        long[] processing = delays.stream().mapToLong(d -> d[0]).sorted().toArray();
        long schedulingMax = delays.stream().mapToLong(d -> d[1]).max().orElse(0);
        String check = check(settings, workload.truth());
        Map<String, Double> bytesPerEvent = storedBytesPerEvent(context, settings, workload.events());
        if (full) {
            context.dropTables(
                    settings.pipeline().hbase().eventTable(),
                    settings.pipeline().results().table());
        }
        return new RunFigures(
                name(),
                repetition,
                warmUp,
                workload.events(),
                seconds,
                workload.events() / seconds,
                workload.events() / seconds / context.cores(),
                context.cores(),
                delays.size(),
                processing.length == 0 ? 0 : processing[processing.length / 2],
                processing.length == 0 ? 0 : processing[processing.length - 1],
                schedulingMax,
                meter.jvm().heapPeakMb(),
                meter.jvm().gcMs(),
                check.startsWith("exact"),
                check,
                cost,
                bytesPerEvent);
    }

    /**
     * What the sinks stored per event: the archive's files (checksum files left out) and, with the event store, the
     * event table's store files once flushed, as the region server reports them (whole megabytes).
     */
    private Map<String, Double> storedBytesPerEvent(BenchContext context, SluiceSettings settings, long events)
            throws Exception {
        Map<String, Double> perEvent = new TreeMap<>();
        Path root = Path.of(URI.create(settings.pipeline().archiveRoots().get(0)));
        try (Stream<Path> files = Files.walk(root)) {
            long bytes = files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().endsWith(".crc"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
            perEvent.put("archive", (double) bytes / events);
        }
        if (full) {
            TableName table = TableName.valueOf(settings.pipeline().hbase().eventTable());
            try (Connection connection = ConnectionFactory.createConnection(context.hbaseConfiguration());
                    Admin admin = connection.getAdmin()) {
                admin.flush(table);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                double[] stored = {0, 1};
                // the region server reports its regions' sizes every few seconds: wait until the flush shows
                while (stored[1] > 0 && System.nanoTime() < deadline) {
                    stored[0] = 0;
                    stored[1] = 0;
                    for (ServerName server : admin.getRegionServers()) {
                        admin.getRegionMetrics(server, table).forEach(m -> {
                            stored[0] += m.getStoreFileSize().get(Size.Unit.BYTE);
                            stored[1] += m.getMemStoreSize().get(Size.Unit.BYTE);
                        });
                    }
                    if (stored[1] > 0) {
                        Thread.sleep(500);
                    }
                }
                if (stored[1] == 0 && stored[0] > 0) {
                    perEvent.put("event-store", stored[0] / events);
                }
            }
        }
        return perEvent;
    }

    private static DriverRuntime driver(BenchContext context, SluiceSettings settings) {
        return new DriverRuntime(
                settings,
                new SparkConf()
                        .setMaster("local[" + context.cores() + "]")
                        .set("spark.ui.enabled", "false")
                        .set("spark.ui.showConsoleProgress", "false"));
    }

    @Override
    public PacedRun startPaced(BenchContext context, String topic) throws Exception {
        if (!full) {
            return null;
        }
        SluiceSettings settings = SettingsLoader.load(properties(context, "bench-paced-" + name(), topic));
        DriverRuntime driver = driver(context, settings);
        driver.start();
        return new PacedRun() {
            @Override
            public Map<Integer, Long> committed() {
                Map<Integer, Long> next = new TreeMap<>();
                driver.committed().asMap().forEach((key, offset) -> {
                    if (key.topic().equals(topic)) {
                        next.put(key.partition(), offset);
                    }
                });
                return next;
            }

            @Override
            public void close() {
                driver.stop(false);
            }
        };
    }

    /**
     * "exact: ..." when the outputs hold exactly the ground truth, else what differs. The archive is read as readers
     * read it ({@link CommittedArchives}).
     */
    private String check(SluiceSettings settings, GroundTruth truth) throws Exception {
        // as a reader sees it once every committed batch is visible: the driver stopped at once, and the last
        // committed batch's stage may not be published yet (its next start, or any reader, rolls it forward)
        ArchiveContents archive = CommittedArchives.read(settings).archives().get(0);
        if (!full) {
            boolean exact = archive.eventIdCounts().keySet().equals(truth.validIds())
                    && archive.lines() == truth.validIds().size()
                    && archive.deadLetters() == truth.deadLetters();
            return (exact ? "exact: " : "WRONG: ") + "archive lines=" + archive.lines() + " dead_letters="
                    + archive.deadLetters() + " (expected " + truth.validIds().size() + " and " + truth.deadLetters()
                    + ")";
        }
        EventStoreContents hbase;
        try (Connection connection =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            hbase = EventStoreContents.read(
                    connection, settings.pipeline().hbase().eventTable());
        }
        Outcome outcome = OutcomeVerifier.verify(truth, hbase, List.of(archive));
        return (outcome.exact(truth) ? "exact: " : "WRONG: ")
                + outcome.summary().replace("demo: ", "");
    }
}
