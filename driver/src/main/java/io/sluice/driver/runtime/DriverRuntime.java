package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.EpochCounter;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.ZooKeeperOffsetStore;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.ReplayFingerprint;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.ArchiveResultsReplay;
import io.sluice.jobs.results.PartitionResults;
import io.sluice.jobs.results.ResultsReplay;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveRecovery;
import io.sluice.jobs.sink.hbase.EventStoreTable;
import io.sluice.jobs.sink.hbase.ResultsSink;
import io.sluice.jobs.sink.hbase.ResultsTable;
import io.sluice.jobs.source.KafkaLogRange;
import io.sluice.wal.HttpEventReceiver;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.streaming.StreamingContextState;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the driver: take an epoch, roll back what uncommitted batches left in the archive, then resume the
 * streaming context from the checkpoint, or, when there is none or it is unreadable, from the offsets committed in
 * ZooKeeper. See docs/commit-protocol.md.
 */
public final class DriverRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverRuntime.class);

    private final SluiceSettings settings;
    private final SparkConf sparkConf;
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private CuratorFramework zk;
    private final boolean ownsZk;
    private volatile Epoch epoch;
    private DriverServices services;
    private JavaStreamingContext ssc;
    private Connection hbase;
    private JavaSparkContext jsc;

    /** @param sparkConf the base Spark configuration (spark-submit's, or a test's); Sluice's settings fill gaps */
    public DriverRuntime(SluiceSettings settings, SparkConf sparkConf) {
        this(settings, sparkConf, null);
    }

    /**
     * @param zookeeper a started client to use (the leader's, whose session holds the leadership), or null to make
     *     one; a client passed in is not closed by {@link #stop}
     */
    public DriverRuntime(SluiceSettings settings, SparkConf sparkConf, CuratorFramework zookeeper) {
        this.settings = settings;
        this.sparkConf = sparkConf;
        this.zk = zookeeper;
        this.ownsZk = zookeeper == null;
        settings.sparkProperties().forEach(sparkConf::setIfMissing);
        // spark-submit's --conf wins over the properties file: check what this run will actually use
        SluiceSettings.refuseSpeculation(sparkConf.get(SluiceSettings.SPECULATION, null));
    }

    /** The start-up sequence; returns once the streaming context runs. */
    public void start() throws Exception {
        if (ownsZk) {
            zk = CuratorFrameworkFactory.newClient(
                    settings.zookeeperConnect(),
                    settings.zookeeperSessionTimeoutMs(),
                    15_000,
                    new ExponentialBackoffRetry(200, 10));
            zk.start();
        }
        if (!zk.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cannot connect to ZooKeeper at " + settings.zookeeperConnect());
        }
        ZooKeeperPaths paths = ZooKeeperPaths.forApplication(settings.appName());
        Epoch epoch = new EpochCounter(zk, paths).advance();
        this.epoch = epoch;
        ZooKeeperOffsetStore offsetStore = new ZooKeeperOffsetStore(zk, paths);
        CommittedOffsets committed = offsetStore.load();
        // settings the committed replay positions depend on must not have changed (a line naming the key if they did)
        ReplayFingerprint.check(committed.settings(), ReplayFingerprint.of(settings));
        if (settings.kafka() != null) { // never resume from an offset the log no longer (or not yet) holds
            KafkaLogRange.read(settings.kafka()).requireCommittedWithin(committed, "FILE");
        }
        LOG.info("driver took {}; committed offsets in ZooKeeper: {}", epoch, committed.isEmpty() ? "none" : committed);

        List<ArchiveRecovery> archives = new ArrayList<>();
        Configuration hadoop = ExecutorHadoop.configuration(settings.pipeline().hadoopProperties());
        for (String root : settings.pipeline().archiveRoots()) {
            ArchiveRecovery recovery =
                    new ArchiveRecovery(FileSystem.get(URI.create(root), hadoop), new ArchiveLayout(root));
            recovery.recover(committed, epoch.number());
            archives.add(recovery);
        }
        // a driver deposed while it recovered (frozen, partitioned) has left a newer leader's stage alone; it must not
        // go on to write anything either
        long newest = new EpochCounter(zk, paths).current();
        if (newest != epoch.number()) {
            throw new IllegalStateException("deposed during start-up: " + epoch + " is no longer the newest (epoch "
                    + newest + " is); stopping before writing anything");
        }
        ResultsSettings resultsSettings = settings.pipeline().results();
        if (settings.pipeline().hbase().enabled()) {
            hbase = ConnectionFactory.createConnection(
                    settings.pipeline().hbase().clientConfiguration());
            if (settings.createTables()) {
                try (Admin admin = hbase.getAdmin()) {
                    EventStoreTable.ensure(admin, settings.pipeline().hbase());
                    if (resultsSettings.enabled()) {
                        ResultsTable.ensure(admin, resultsSettings.table());
                    }
                }
            }
        }
        // The SparkContext comes first: the results replay needs it, and a checkpoint restored by getOrCreate takes
        // the active context (SparkContext.getOrCreate), so the current run's SparkConf applies, not the old one's.
        jsc = new JavaSparkContext(sparkConf);
        ResultsState results = null;
        ResultsSink resultsSink = null;
        if (resultsSettings.enabled()) {
            results = rebuildResults(jsc, resultsSettings, committed);
            resultsSink = new ResultsSink(hbase, resultsSettings.table(), resultsSettings.windowMs());
        }
        services = new DriverServices(settings, offsetStore, epoch, committed, archives, metrics, results, resultsSink);
        DriverServices.install(services);

        long newestCheckpoint = BatchTimeFloor.newestCheckpoint(settings.checkpointDir(), hadoop);
        boolean hadCheckpoint = newestCheckpoint != Long.MIN_VALUE;
        AtomicBoolean created = new AtomicBoolean();
        Function0<JavaStreamingContext> create = () -> {
            created.set(true);
            return StreamingPipeline.create(jsc, settings, committed);
        };
        if (settings.httpSource() != null) {
            // positions are numbered by batch time: never reuse one, whatever this host's clock says
            long floor = newestCheckpoint;
            OptionalLong pushed = committed.next(PartitionWriter.RECEIVED_CLOCK);
            if (pushed.isPresent()) {
                floor = Math.max(floor, pushed.getAsLong() / PartitionWriter.RECORDS_PER_BLOCK - 1);
            }
            if (floor != Long.MIN_VALUE) {
                BatchTimeFloor.await(sparkConf, floor);
            }
            // The checkpoint holds the only record of the acknowledged blocks pending in the receiver WAL: an error
            // reading it is retried, and one that persists stops start-up rather than starting fresh without them.
            ssc = CheckpointReading.withRetries(
                    settings.checkpointDir(),
                    CheckpointReading.DEFAULT_ATTEMPTS,
                    CheckpointReading.DEFAULT_BACKOFF,
                    () -> JavaStreamingContext.getOrCreate(settings.checkpointDir(), create, hadoop, false));
        } else {
            // Kafka: the offsets in ZooKeeper are the record; an unreadable checkpoint (a code upgrade) resumes from
            // them
            ssc = JavaStreamingContext.getOrCreate(settings.checkpointDir(), create, hadoop, true);
        }
        if (!created.get()) {
            LOG.info("resumed from the checkpoint in {}", settings.checkpointDir());
        } else if (hadCheckpoint) {
            LOG.warn(
                    "the checkpoint in {} is unreadable (a code upgrade?): resuming from the ZooKeeper offsets {}",
                    settings.checkpointDir(),
                    committed.isEmpty() ? "(none: " + startingPoint() + ")" : committed);
        } else {
            LOG.info(
                    "no checkpoint in {}: starting from {}",
                    settings.checkpointDir(),
                    committed.isEmpty() ? startingPoint() : "the ZooKeeper offsets " + committed);
        }
        ssc.ssc().addStreamingListener(metrics);
        tellReceiversTheEpoch(ssc, epoch.number());
        ssc.start();
    }

    /**
     * Gives every receiver of the graph (new, or restored from the checkpoint with an older run's epoch) this run's
     * epoch: Spark sends each receiver to an executor with it, on every relaunch too, so a receiver answers for this
     * driver and refuses requests once a newer leader exists, even one restarted after this driver was deposed.
     */
    private static void tellReceiversTheEpoch(JavaStreamingContext ssc, long epoch) {
        for (ReceiverInputDStream<?> input : ssc.ssc().graph().getReceiverInputStreams()) {
            if (input.getReceiver() instanceof HttpEventReceiver receiver) {
                receiver.reportTo(epoch);
            }
        }
    }

    /**
     * Blocks until the context stops (a graceful stop by Spark's shutdown hook included), then publishes the last
     * committed stage if it is still staged; rethrows the error that stopped it, if any.
     */
    public void awaitTermination() throws InterruptedException {
        try {
            ssc.awaitTermination();
        } finally {
            services.publishCommittedStage();
        }
    }

    /**
     * Waits up to {@code millis}; true when the context has stopped, after publishing the last committed stage if it
     * was still staged. Rethrows the error that stopped it.
     */
    public boolean awaitTermination(long millis) throws InterruptedException {
        try {
            return ssc.awaitTerminationOrTimeout(millis);
        } finally {
            if (ssc.getState() == StreamingContextState.STOPPED) {
                services.publishCommittedStage();
            }
        }
    }

    /** The epoch this run took; null before {@link #start} took it. */
    public Epoch epoch() {
        return epoch;
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    /** The offsets this driver has committed (or found committed at start). */
    public CommittedOffsets committed() {
        return services == null ? CommittedOffsets.empty() : services.committed();
    }

    /**
     * Stops the streaming context (gracefully: finishing received batches), then makes sure the stage of the last batch
     * this driver committed is published in every archive root (a batch interrupted between its commit and its
     * publication, or whose publication failed), then releases ZooKeeper. Idempotent.
     */
    public void stop(boolean graceful) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            try {
                if (ssc != null) {
                    ssc.stop(true, graceful);
                } else if (jsc != null) {
                    jsc.stop(); // start failed before the streaming context existed
                }
            } finally {
                if (services != null) {
                    services.publishCommittedStage();
                }
            }
        } finally {
            // hbase-spark's connection cache is per JVM and cannot be reopened once closed (a later run in the same
            // JVM would get no connection), so it is left to its housekeeping, which closes idle connections
            closeQuietly(hbase);
            if (services != null) {
                DriverServices.uninstall(services);
            }
            if (zk != null && ownsZk) {
                zk.close();
            }
        }
    }

    @Override
    public void close() {
        stop(false);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the HBase connection failed: {}", e.toString());
        }
    }

    private ResultsState rebuildResults(JavaSparkContext jsc, ResultsSettings results, CommittedOffsets committed)
            throws IOException {
        long started = System.nanoTime();
        List<PartitionResults> replayed;
        if (settings.kafka() != null) {
            replayed = ResultsReplay.replay(
                    jsc,
                    settings.kafka(),
                    settings.pipeline().parserLimits(),
                    results,
                    settings.pipeline().hbase(),
                    committed);
        } else { // push ingestion: no Kafka to replay; the archive holds every committed batch
            ReplayPosition position = committed.replay().get(PartitionWriter.RECEIVED_CLOCK);
            String root = settings.pipeline().archiveRoots().get(0);
            replayed = position == null
                    ? List.of()
                    : ArchiveResultsReplay.replay(
                            FileSystem.get(
                                    URI.create(root),
                                    ExecutorHadoop.configuration(
                                            settings.pipeline().hadoopProperties())),
                            new ArchiveLayout(root),
                            results,
                            settings.pipeline().parserLimits(),
                            position,
                            committed.next(PartitionWriter.RECEIVED_CLOCK).orElse(0));
        }
        ResultsState state = new ResultsState(results);
        // a topic removed from the configuration drops out of the clocks
        state.rebuild(
                committed,
                replayed,
                p -> settings.kafka() == null || settings.kafka().topics().contains(p.topic()));
        LOG.info(
                "results rebuilt from the replay positions {} in {} ms: {} open count cells, watermark {}",
                committed.replay(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                state.openCells(),
                state.watermark());
        return state;
    }

    private String startingPoint() {
        return settings.kafka() != null
                ? "the reset policy (" + settings.kafka().resetPolicy() + ")"
                : "the first batch the receivers fill";
    }
}
