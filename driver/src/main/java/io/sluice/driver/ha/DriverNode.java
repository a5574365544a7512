package io.sluice.driver.ha;

import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.EpochCounter;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.checkpoint.ZooKeeperClients;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.http.DriverStatus;
import io.sluice.driver.http.StatusServer;
import io.sluice.driver.runtime.DriverRuntime;
import io.sluice.driver.runtime.PipelineMetrics;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised driver instance (DESIGN.md, "Leadership and fencing"): starts its status endpoints, contends for
 * leadership, and only once it leads takes an epoch and runs the pipeline ({@link DriverRuntime}). A standby creates
 * no SparkContext. When leadership ends while running (session LOST, SUSPENDED past the grace period, a newer
 * leader's epoch fencing a commit), the instance stops the streaming context without waiting and exits non-zero, and
 * its supervisor (Marathon) starts a fresh standby.
 */
public final class DriverNode implements DriverStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverNode.class);
    /** Exit status when leadership was lost while running. */
    public static final int EXIT_LEADERSHIP_LOST = 3;

    private final SluiceSettings settings;
    private final SparkConf sparkConf;
    private final CuratorFramework zk;
    private final LagProbe lag;
    private StatusServer http;
    private LeaderElection election;
    private volatile DriverRuntime runtime;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public DriverNode(SluiceSettings settings, SparkConf sparkConf) {
        this.settings = settings;
        this.sparkConf = sparkConf;
        // a short SUSPENDED must not end leadership by itself: LeaderElection applies the grace period
        this.zk = ZooKeeperClients.leaderClient(
                settings.zookeeperConnect(), settings.zookeeperSessionTimeoutMs(), settings.zookeeperAuth());
        this.lag = new LagProbe(settings.kafka());
    }

    /** Runs until the pipeline stops; returns the process exit status (0 after a clean stop). */
    public int run() throws Exception {
        http = StatusServer.start(settings.httpHost(), settings.httpPort(), this);
        zk.start();
        if (!zk.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("cannot connect to ZooKeeper at " + settings.zookeeperConnect());
        }
        String id = InetAddress.getLocalHost().getHostName() + ":" + http.port();
        election = new LeaderElection(
                zk,
                ZooKeeperPaths.forApplication(settings.appName()),
                id,
                settings.suspendedGraceMs(),
                this::leadershipLost);
        election.start();
        election.awaitLeadership();
        DriverRuntime run = new DriverRuntime(settings, sparkConf, zk);
        runtime = run;
        run.start();
        LOG.info("driver {} runs the pipeline at {}", id, run.epoch());
        try {
            run.awaitTermination();
        } catch (Exception e) {
            explainIfSuperseded(run.epoch(), e);
            throw e;
        }
        return 0;
    }

    /**
     * A pipeline that failed because a newer leader took over (its stage deleted under a task, a claim or a commit
     * refused) says so: the operator sees that this driver was deposed, not that the archive or HBase failed.
     */
    private void explainIfSuperseded(Epoch epoch, Exception failure) {
        try {
            long newest = new EpochCounter(zk, ZooKeeperPaths.forApplication(settings.appName())).current();
            if (epoch != null && newest > epoch.number()) {
                LOG.error(
                        "{} has been superseded by a newer leader (epoch {}): the pipeline stopped ({}); exiting"
                                + " without writing anything more",
                        epoch,
                        newest,
                        failure.toString());
            }
        } catch (Exception e) {
            LOG.warn("could not read the newest epoch after the pipeline failed: {}", e.toString());
        }
    }

    /** Stops the pipeline (gracefully or not), then leaves the election and closes ZooKeeper: a standby takes over. */
    public void stop(boolean graceful) {
        DriverRuntime run = runtime;
        if (run != null) {
            run.stop(graceful);
        }
        close();
    }

    private void leadershipLost(String reason) {
        DriverRuntime run = runtime;
        LOG.error(
                "leadership lost ({}){}: stopping without waiting, exit {}",
                reason,
                run == null || run.epoch() == null ? "" : " at " + run.epoch(),
                EXIT_LEADERSHIP_LOST);
        Thread stopper = new Thread(
                () -> {
                    if (run != null) {
                        run.stop(false);
                    }
                },
                "leadership-lost-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // no shutdown hooks: nothing of this instance may write after a newer leader took over
        Runtime.getRuntime().halt(EXIT_LEADERSHIP_LOST);
    }

    @Override
    public String id() {
        return election == null ? "" : election.id();
    }

    @Override
    public boolean zookeeperConnected() {
        return zk.getZookeeperClient().isConnected();
    }

    @Override
    public boolean leader() {
        return election != null && election.isLeader() && runtime != null;
    }

    @Override
    public String leaderId() {
        return election == null ? "" : election.leaderId();
    }

    @Override
    public long epoch() {
        DriverRuntime run = runtime;
        Epoch epoch = run == null ? null : run.epoch();
        return leader() && epoch != null ? epoch.number() : -1;
    }

    @Override
    public long takeovers() {
        return election == null ? 0 : election.takeovers();
    }

    @Override
    public boolean ready() {
        DriverRuntime run = runtime;
        if (!leader() || run == null) {
            return false;
        }
        long last = run.metrics().lastBatchCompletedMillis();
        return last > 0 && System.currentTimeMillis() - last <= settings.readyIntervals() * settings.batchIntervalMs();
    }

    @Override
    public Optional<PipelineMetrics.Snapshot> metrics() {
        DriverRuntime run = runtime;
        return leader() && run != null ? Optional.of(run.metrics().snapshot()) : Optional.empty();
    }

    @Override
    public Map<TopicPartitionKey, Long> lag() {
        DriverRuntime run = runtime;
        return leader() && run != null ? lag.lag(run.committed()) : Map.of();
    }

    /**
     * For a shutdown hook (SIGTERM): waits for the streaming context to finish its graceful stop (Spark's own hook
     * runs it), then leaves the election so a standby takes over at once instead of after the session timeout.
     */
    public void awaitStopThenClose() {
        DriverRuntime run = runtime;
        if (run != null) {
            try {
                run.awaitTermination(settings.gracefulStopTimeoutMs() + 10_000);
            } catch (Exception e) {
                LOG.warn("the pipeline stopped with an error: {}", e.toString());
            }
        }
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (election != null) {
            election.close();
        }
        lag.close();
        zk.close();
        if (http != null) {
            http.close();
        }
    }
}
