package io.sluice.driver.runtime;

import io.sluice.api.DriverOutput;
import io.sluice.api.JobSetup;
import io.sluice.api.SluiceJob;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.EpochCounter;
import io.sluice.checkpoint.ZooKeeperAcls;
import io.sluice.checkpoint.ZooKeeperClients;
import io.sluice.checkpoint.ZooKeeperOffsetStore;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.ReplayFingerprint;
import io.sluice.driver.config.SecretRedaction;
import io.sluice.driver.config.SluiceConfig;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.pipeline.JobTask;
import io.sluice.jobs.results.ResultsDriver;
import io.sluice.wal.HttpEventReceiver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.hadoop.conf.Configuration;
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
    private CurrentRun run;
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
        // a pattern from spark-submit's --conf also hides the Kafka secrets' names
        sparkConf.set(SecretRedaction.KEY, SecretRedaction.extend(sparkConf.get(SecretRedaction.KEY, null)));
        // spark-submit's --conf wins over the properties file: check what this run will actually use
        SluiceSettings.refuseSpeculation(sparkConf.get(SluiceSettings.SPECULATION, null));
    }

    /**
     * With ZooKeeper authentication, refuses to start while a node under the application's root may be written by
     * anyone else (a standby or a stranger could rewrite the epoch or the offsets), unless told to set the ACLs.
     */
    static void checkAcls(CuratorFramework zk, SluiceSettings settings, ZooKeeperPaths paths) throws Exception {
        if (!settings.zookeeperAuth().enabled()) {
            LOG.warn(
                    "ZooKeeper nodes under {} are open: anyone who reaches ZooKeeper can rewrite the epoch and the"
                            + " offsets (set {})",
                    paths.root(),
                    SluiceConfig.ZK_AUTH);
            return;
        }
        List<String> open = ZooKeeperAcls.check(zk, paths.root(), settings.zookeeperAuth(), settings.fixAcls());
        if (open.isEmpty()) {
            return;
        }
        if (settings.fixAcls()) {
            LOG.warn(
                    "set the ACLs of {} ZooKeeper nodes under {} to {}'s",
                    open.size(),
                    paths.root(),
                    settings.zookeeperAuth());
            return;
        }
        throw new IllegalStateException(open.size() + " ZooKeeper nodes under " + paths.root() + " can be written by"
                + " others than " + settings.zookeeperAuth() + " (e.g. " + open.get(0) + "): made before "
                + SluiceConfig.ZK_AUTH + " was set? Start once with " + SluiceConfig.ZK_FIX_ACLS + "=true to set"
                + " their ACLs");
    }

    /** The start-up sequence; returns once the streaming context runs. */
    public void start() throws Exception {
        if (ownsZk) {
            zk = ZooKeeperClients.client(
                    settings.zookeeperConnect(), settings.zookeeperSessionTimeoutMs(), settings.zookeeperAuth());
            zk.start();
        }
        if (!zk.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cannot connect to ZooKeeper at " + settings.zookeeperConnect());
        }
        ZooKeeperPaths paths = ZooKeeperPaths.forApplication(settings.appName());
        checkAcls(zk, settings, paths);
        Epoch epoch = new EpochCounter(zk, paths).advance();
        this.epoch = epoch;
        ZooKeeperOffsetStore offsetStore = new ZooKeeperOffsetStore(zk, paths);
        CommittedOffsets committed = offsetStore.load();
        // settings the committed replay positions depend on must not have changed (a line naming the key if they did)
        ReplayFingerprint.check(committed.settings(), ReplayFingerprint.of(settings));
        StreamSource source = StreamSource.of(settings);
        source.checkCommitted(committed);
        LOG.info("driver took {}; committed offsets in ZooKeeper: {}", epoch, committed.isEmpty() ? "none" : committed);

        Configuration hadoop = ExecutorHadoop.configuration(settings.pipeline().hadoopProperties());
        if (settings.usesHBase()) {
            hbase = ConnectionFactory.createConnection(
                    settings.pipeline().hbase().clientConfiguration());
        }
        // The SparkContext comes first: a job's recovery may replay the source with it, and a checkpoint restored by
        // getOrCreate takes the active context (SparkContext.getOrCreate), so the current run's SparkConf applies.
        jsc = new JavaSparkContext(sparkConf);
        JobSetup setup = new RunSetup(settings, epoch, hadoop, hbase, source.replay(jsc, hadoop));
        List<JobTask> tasks = new ArrayList<>();
        List<BatchCommitter.JobDriver> drivers = new ArrayList<>();
        Map<String, BatchCommitter.JobDeps> deps = new LinkedHashMap<>();
        ResultsDriver results = null;
        for (SluiceJob job : settings.jobs()) { // each after the jobs it requires
            tasks.add(new JobTask(
                    job.name(),
                    job.taskOutput(setup),
                    List.copyOf(new java.util.TreeSet<>(job.requiredFields(settings.config()))),
                    job.writesDeadLetters(),
                    !job.writesDeadLetters() && source.catchesUp()));
            deps.put(
                    job.name(),
                    new BatchCommitter.JobDeps(
                            job.requires(), tasks.get(tasks.size() - 1).mayLag(), job.usesHBase()));
            Optional<DriverOutput> driver = job.driverOutput(setup);
            if (driver.isPresent()) {
                driver.get().recover(committed.forJob(job.name())); // a lagging job from its own positions
                drivers.add(new BatchCommitter.JobDriver(job.name(), driver.get()));
                if (driver.get() instanceof ResultsDriver r) {
                    results = r; // it drives the pipeline's event-time stage
                }
            }
            metrics.gauges(job.name(), () -> {
                Map<String, Long> gauges =
                        new TreeMap<>(driver.map(DriverOutput::gauges).orElse(Map.of()));
                gauges.putAll(source.lag(committed(), job.name()));
                return gauges;
            });
        }
        // a driver deposed while it recovered (frozen, partitioned) has left a newer leader's stage alone; it must not
        // go on to write anything either
        long newest = new EpochCounter(zk, paths).current();
        if (newest != epoch.number()) {
            throw new IllegalStateException("deposed during start-up: " + epoch + " is no longer the newest (epoch "
                    + newest + " is); stopping before writing anything");
        }
        BatchCommitter committer =
                new BatchCommitter(offsetStore, epoch, committed, drivers, ReplayFingerprint.of(settings), deps);
        metrics.jobs(settings.jobs().stream().map(SluiceJob::name).toList());
        run = new CurrentRun(settings, committer, tasks, results, metrics, hbase);
        CurrentRun.install(run);

        long newestCheckpoint = BatchTimeFloor.newestCheckpoint(settings.checkpointDir(), hadoop);
        boolean hadCheckpoint = newestCheckpoint != Long.MIN_VALUE;
        AtomicBoolean created = new AtomicBoolean();
        Function0<JavaStreamingContext> create = () -> {
            created.set(true);
            return StreamingPipeline.create(jsc, settings, source, committed);
        };
        ssc = source.getOrCreate(create, hadoop, sparkConf, committed, newestCheckpoint);
        if (!created.get()) {
            LOG.info("resumed from the checkpoint in {}", settings.checkpointDir());
        } else if (hadCheckpoint) {
            LOG.warn(
                    "the checkpoint in {} is unreadable (a code upgrade?): resuming from the ZooKeeper offsets {}",
                    settings.checkpointDir(),
                    committed.isEmpty() ? "(none: " + source.startingPoint() + ")" : committed);
        } else {
            LOG.info(
                    "no checkpoint in {}: starting from {}",
                    settings.checkpointDir(),
                    committed.isEmpty() ? source.startingPoint() : "the ZooKeeper offsets " + committed);
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
            run.committer().stop();
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
                run.committer().stop();
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
        return run == null ? CommittedOffsets.empty() : run.committer().committed();
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
                if (run != null) {
                    run.committer().stop();
                }
            }
        } finally {
            // hbase-spark's connection cache is per JVM and cannot be reopened once closed (a later run in the same
            // JVM would get no connection), so it is left to its housekeeping, which closes idle connections
            closeQuietly(hbase);
            if (run != null) {
                run.close();
                CurrentRun.uninstall(run);
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
}
