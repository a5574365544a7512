package io.sluice.bench;

import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.SettingsLoader;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.source.TopicEnds;
import io.sluice.testkit.Eventually;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.server.ReceiverToken;
import io.sluice.testkit.verify.ArchiveContents;
import io.sluice.testkit.verify.CommittedArchives;
import io.sluice.testkit.verify.EventStoreContents;
import io.sluice.testkit.verify.Outcome;
import io.sluice.testkit.verify.OutcomeVerifier;
import io.sluice.wal.EventSender;
import io.sluice.wal.ReceiverRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.hadoop.hbase.ServerName;
import org.apache.hadoop.hbase.Size;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.SparkConf;

/**
 * Sluice itself, in this JVM as the demo runs it ({@code local[N]}, exactly-once on), in one of three {@link Mode}s:
 * the archive job alone (local file system), every job and sink reading the topic (HBase event store, results counts
 * and top experiments, archive), or every job fed by push ingestion. Timed from the running streaming context to the
 * commit of the last event; the SparkContext's start-up is not timed. Afterwards the outputs are compared with the
 * workload's ground truth.
 */
final class SluiceContender implements Contender {
    /** Receivers of the push mode; each holds a Spark core slot of its own, beside the processing cores. */
    static final int RECEIVERS = 2;

    /** Senders of the push mode, each on its own thread, each sending its share of the workload. */
    private static final int SENDERS = 4;

    /** Events per request of the push mode's senders. */
    private static final int EVENTS_PER_REQUEST = 1_000;

    /**
     * The push mode sends the first eighth of the workload: it runs about six times slower than the Kafka modes here,
     * and a larger share would take the quick run past its 15 minutes.
     */
    private static final int PUSH_SHARE = 8;

    /** What runs, and where the events come from. */
    enum Mode {
        /** The archive job alone, reading the workload's topic. */
        ARCHIVE("sluice-archive"),
        /** Every built-in job, reading the workload's topic. */
        FULL("sluice-full"),
        /**
         * Every built-in job, fed by push ingestion: senders in this JVM post the workload's events (from the
         * generator, not the topic) to {@link #RECEIVERS} reliable receivers, which acknowledge once the receiver WAL
         * holds them.
         */
        PUSH("sluice-push");

        private final String contender;

        Mode(String contender) {
            this.contender = contender;
        }
    }

    private final Mode mode;
    private final boolean full;
    private volatile Map<String, Long> lastResultsGauges = Map.of();

    SluiceContender(Mode mode) {
        this.mode = mode;
        this.full = mode != Mode.ARCHIVE;
    }

    /** The results job's gauges at the end of the last run (open cells, state bytes); empty without that job. */
    Map<String, Long> lastResultsGauges() {
        return lastResultsGauges;
    }

    @Override
    public String name() {
        return mode.contender;
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
        // the archive is compacted after the run, every hour at once (ArchiveFootprint): a run that crosses an hour
        // would otherwise compact some of it while timed, and leave the landed files unmeasured
        p.put("sluice.job.archive.compaction", "false");
        if (full) {
            p.put("sluice.hbase.zookeeper.quorum", context.hbaseQuorum());
            p.put("sluice.hbase.zookeeper.port", Integer.toString(context.hbasePort()));
            p.put("sluice.hbase.event-table", run.replace('-', '_') + "_events");
            p.put("sluice.job.results.table", run.replace('-', '_') + "_results");
            p.put("sluice.hbase.salt-buckets", "8");
            p.put("sluice.job.results.visitors", context.resultsVisitors());
        }
        if (mode == Mode.PUSH) {
            p.keySet().removeIf(k -> k.startsWith("sluice.kafka."));
            p.put("sluice.source", "http");
            p.put("sluice.http-source.receivers", Integer.toString(RECEIVERS));
            p.put("sluice.http-source.host", "127.0.0.1");
            p.put("sluice.http-source.ports", "0-0");
            p.put("sluice.http-source.token-env", ReceiverToken.ENV);
            // on 127.0.0.1 only, and measured as the other contenders are: without TLS
            p.put("sluice.http-source.plain-http", "true");
            // the same cap on the whole stream as the topic's partitions put on the Kafka contenders
            p.put(
                    "sluice.http-source.max-rate",
                    Long.toString(
                            context.maxRatePerPartition() * context.workload().partitions() / RECEIVERS));
        }
        return p;
    }

    @Override
    public RunFigures run(BenchContext context, int repetition, boolean warmUp) throws Exception {
        String run = "bench-" + name() + "-" + repetition;
        SluiceSettings settings = SettingsLoader.load(properties(context, run), ReceiverToken.environment());
        Workload workload = context.workload();
        long events = mode == Mode.PUSH ? Math.max(1, workload.events() / PUSH_SHARE) : workload.events();
        GroundTruth truth = mode == Mode.PUSH ? GroundTruth.of(workload.generator(), events) : workload.truth();
        DriverRuntime driver = driver(context, settings);
        long started;
        long finished;
        RunMeter meter;
        RunMeter.Cost cost;
        try {
            driver.start();
            if (mode == Mode.PUSH) {
                awaitReceivers(context, settings);
                meter = RunMeter.start(context.servers());
                started = meter.startedNanos();
                pushAndAwait(context, settings, driver, meter, events);
            } else {
                meter = RunMeter.start(context.servers());
                started = meter.startedNanos();
                readAndAwait(context, driver, meter);
            }
            finished = System.nanoTime();
            cost = meter.finish(events);
            lastResultsGauges = driver.metrics().snapshot().gauges().getOrDefault("results", Map.of());
        } finally {
            driver.stop(false);
        }
        double seconds = (finished - started) / 1e9;
        List<long[]> delays = driver.metrics().batchDelays();
        long[] processing = delays.stream().mapToLong(d -> d[0]).sorted().toArray();
        long schedulingMax = delays.stream().mapToLong(d -> d[1]).max().orElse(0);
        String check = check(settings, truth);
        ArchiveFootprint archive = ArchiveFootprint.measure(
                settings.config(),
                ExecutorHadoop.configuration(settings.pipeline().hadoopProperties()));
        Map<String, Double> bytesPerEvent = storedBytesPerEvent(context, settings, events, archive);
        if (full) {
            context.dropTables(
                    settings.pipeline().hbase().eventTable(),
                    settings.pipeline().results().table());
        }
        return new RunFigures(
                name(),
                repetition,
                warmUp,
                events,
                seconds,
                events / seconds,
                events / seconds / context.cores(),
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
                bytesPerEvent,
                archive,
                phases(driver));
    }

    /**
     * The medians over the run's written batches of their two parts ({@code tasks}: the Spark job writing every
     * partition; {@code driver}: the serial part after it, executors idle) and their sums over the run.
     */
    private static Map<String, Long> phases(DriverRuntime driver) {
        List<long[]> phases = driver.metrics().batchPhases();
        long[] tasks = phases.stream().mapToLong(p -> p[0]).sorted().toArray();
        long[] serial = phases.stream().mapToLong(p -> p[1]).sorted().toArray();
        if (tasks.length == 0) {
            return Map.of();
        }
        return Map.of(
                "tasks-median",
                tasks[tasks.length / 2],
                "driver-median",
                serial[serial.length / 2],
                "tasks-total",
                Arrays.stream(tasks).sum(),
                "driver-total",
                Arrays.stream(serial).sum());
    }

    /** Until the driver committed the topic's end offsets, as it went. */
    private void readAndAwait(BenchContext context, DriverRuntime driver, RunMeter meter) throws Exception {
        try (TopicEnds ends =
                new TopicEnds(context.bootstrapServers(), context.workload().topic())) {
            Map<io.sluice.checkpoint.TopicPartitionKey, Long> end = ends.endOffsets();
            while (driver.committed().lag(end) > 0) {
                meter.progress(driver.committed().asMap().values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
                awaitRunning(driver);
            }
        }
    }

    /**
     * Sends the workload's first {@code events} events in requests of {@link #EVENTS_PER_REQUEST} from {@link #SENDERS}
     * threads, until every one is acknowledged and the driver committed as many records.
     */
    private void pushAndAwait(
            BenchContext context, SluiceSettings settings, DriverRuntime driver, RunMeter meter, long events)
            throws Exception {
        Workload workload = context.workload();
        String registry = ZooKeeperPaths.forApplication(settings.appName()).receivers();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<Long>> sent = new ArrayList<>();
            AtomicLong nextRequest = new AtomicLong();
            for (int i = 0; i < SENDERS; i++) {
                sent.add(senders.submit(() -> {
                    long acknowledged = 0;
                    try (EventSender sender = EventSender.discovering(
                            context.zookeeperConnect(),
                            registry,
                            EventSender.Options.defaults()
                                    .withPlainHttp()
                                    .withToken(ReceiverToken.VALUE)
                                    .withBatchSize(EVENTS_PER_REQUEST))) {
                        // the requests in the workload's order, each taken by the next free sender: events arrive
                        // as much out of order as the topic's partitions deliver them to the Kafka contenders
                        for (long from; (from = nextRequest.getAndIncrement() * EVENTS_PER_REQUEST) < events; ) {
                            acknowledged += sender.send(LongStream.range(
                                            from, Math.min(events, from + EVENTS_PER_REQUEST))
                                    .mapToObj(seq ->
                                            workload.generator().event(seq).ndjsonLine())
                                    .iterator());
                        }
                    }
                    return acknowledged;
                }));
            }
            while (driver.metrics().records() < events) {
                meter.progress(driver.metrics().records());
                for (Future<Long> f : sent) {
                    if (f.isDone()) {
                        f.get(); // a sender that failed ends the run
                    }
                }
                awaitRunning(driver);
            }
            long acknowledged = 0;
            for (Future<Long> f : sent) {
                acknowledged += f.get();
            }
            if (acknowledged != events) {
                throw new IllegalStateException(
                        name() + ": " + acknowledged + " of " + events + " events acknowledged");
            }
        } finally {
            senders.shutdownNow();
        }
    }

    /** Until the push mode's receivers are registered (they start with the streaming context). */
    private void awaitReceivers(BenchContext context, SluiceSettings settings) throws Exception {
        String registry = ZooKeeperPaths.forApplication(settings.appName()).receivers();
        try (CuratorFramework zk =
                CuratorFrameworkFactory.newClient(context.zookeeperConnect(), new RetryOneTime(200))) {
            zk.start();
            Eventually.eventually(
                    Duration.ofMinutes(2),
                    () -> ReceiverRegistry.live(zk, registry).size() >= RECEIVERS,
                    name() + ": " + RECEIVERS + " receivers registered");
        }
    }

    private void awaitRunning(DriverRuntime driver) throws InterruptedException {
        if (driver.awaitTermination(50)) {
            throw new IllegalStateException(name() + ": the driver stopped before the workload was done");
        }
    }

    /**
     * What the sinks stored per event: the archive's primary root as the batches landed it ({@code archive-landed}),
     * what it keeps once every hour is compacted ({@code archive}) and what it wrote, the landed files and the
     * compacted ones ({@code archive-written}); with the event store, the event table's store files once flushed, as
     * the region server reports them (whole megabytes).
     */
    private Map<String, Double> storedBytesPerEvent(
            BenchContext context, SluiceSettings settings, long events, ArchiveFootprint archive) throws Exception {
        Map<String, Double> perEvent = new TreeMap<>();
        perEvent.put("archive-landed", (double) archive.landedBytes() / events);
        perEvent.put("archive", archive.storedPerEvent(events));
        perEvent.put("archive-written", archive.writtenPerEvent(events));
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
                        // each receiver holds a core slot of its own
                        .setMaster("local[" + (context.cores() + (settings.httpSource() == null ? 0 : RECEIVERS)) + "]")
                        .set("spark.ui.enabled", "false")
                        .set("spark.ui.showConsoleProgress", "false"));
    }

    @Override
    public PacedRun startPaced(BenchContext context, String topic) throws Exception {
        if (mode != Mode.FULL) {
            return null;
        }
        SluiceSettings settings =
                SettingsLoader.load(properties(context, "bench-paced-" + name(), topic), ReceiverToken.environment());
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
