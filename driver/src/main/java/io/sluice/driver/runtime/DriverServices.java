package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.OffsetStore;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.config.ReplayFingerprint;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.results.ResultsUpdate;
import io.sluice.jobs.sink.archive.ArchiveRecovery;
import io.sluice.jobs.sink.hbase.ClaimFence;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.ResultsSink;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.hbase.spark.JavaHBaseContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver-side services of the current run, reached by the batch output through a static reference rather than
 * captured in it: the batch output is serialized into Spark's checkpoint, and after a restart it must use this run's
 * offset store, epoch and settings, not the ones of the run that wrote the checkpoint.
 */
public final class DriverServices {
    private static final Logger LOG = LoggerFactory.getLogger(DriverServices.class);
    private static final AtomicReference<DriverServices> CURRENT = new AtomicReference<>();

    private final SluiceSettings settings;
    private final OffsetStore offsetStore;
    private final Epoch epoch;
    private final AtomicReference<CommittedOffsets> committed;
    private final List<ArchiveRecovery> archives;
    private final PipelineMetrics metrics;
    private final ResultsState results;
    private final ResultsSink resultsSink;
    private final ClaimFence claimFence;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private JavaHBaseContext hbaseContext;
    private JavaSparkContext hbaseContextOwner;

    DriverServices(
            SluiceSettings settings,
            OffsetStore offsetStore,
            Epoch epoch,
            CommittedOffsets committed,
            List<ArchiveRecovery> archives,
            PipelineMetrics metrics,
            ResultsState results,
            ResultsSink resultsSink) {
        this.settings = settings;
        this.offsetStore = offsetStore;
        this.epoch = epoch;
        this.committed = new AtomicReference<>(committed);
        this.archives = List.copyOf(archives);
        this.metrics = metrics;
        this.results = results;
        this.resultsSink = resultsSink;
        this.claimFence = claimFence(epoch, committed);
    }

    /**
     * What this driver's tasks may take over from deposed leaders: their claims at positions not committed when this
     * epoch began ({@link ClaimFence}). Push positions are batch times: every {@code http+<block>} prefix shares the
     * committed position of the source.
     */
    private static ClaimFence claimFence(Epoch epoch, CommittedOffsets atStart) {
        Map<String, Long> next = new HashMap<>();
        atStart.asMap().forEach((key, offset) -> next.put(EventClaims.position(key), offset));
        return new ClaimFence(
                epoch.number(),
                next,
                atStart.next(PartitionWriter.RECEIVED_CLOCK).orElse(0));
    }

    /** The claims of deposed leaders this driver's tasks may take over. */
    ClaimFence claimFence() {
        return claimFence;
    }

    static void install(DriverServices services) {
        CURRENT.set(services);
    }

    static void uninstall(DriverServices services) {
        CURRENT.compareAndSet(services, null);
    }

    static DriverServices current() {
        DriverServices services = CURRENT.get();
        if (services == null) {
            throw new IllegalStateException("no Sluice driver is running in this JVM");
        }
        return services;
    }

    SluiceSettings settings() {
        return settings;
    }

    OffsetStore offsetStore() {
        return offsetStore;
    }

    Epoch epoch() {
        return epoch;
    }

    CommittedOffsets committed() {
        return committed.get();
    }

    void committed(CommittedOffsets offsets) {
        committed.set(offsets);
    }

    List<ArchiveRecovery> archives() {
        return archives;
    }

    PipelineMetrics metrics() {
        return metrics;
    }

    /** The open windows of the results jobs; null when they are off. */
    ResultsState results() {
        return results;
    }

    ResultsSink resultsSink() {
        return resultsSink;
    }

    /**
     * The driver side of a batch whose sinks all succeeded (docs/commit-protocol.md): merges the tasks' results into
     * the open windows and writes the touched rows (fenced by the epoch), commits {@code next} with the results' replay
     * positions and the archive {@code stage} in one fenced ZooKeeper transaction, then publishes the stage. Any
     * failure marks the run failed ({@link #failed}) and is thrown. Returns the result rows written.
     *
     * @param sources every source partition of the stream (one that has not seen an event holds the watermark back)
     */
    long commit(CommittedOffsets next, String stage, List<TopicPartitionKey> sources, BatchCounters counters)
            throws Exception {
        long resultRows = 0;
        try {
            if (results != null) {
                ResultsUpdate update = results.apply(sources, counters.results().value());
                resultRows = resultsSink.write(update, epoch);
                next = next.withReplay(results.positions(next));
            }
            next = next.withStage(stage).withSettings(ReplayFingerprint.of(settings));
            offsetStore.commit(epoch, next);
            committed(next);
            CommitFault.afterCommit(next);
            // Published only now: a batch that did not commit (a crash, a deposed leader) never shows a file. A
            // failure here stops this driver before the next commit replaces the record of this stage; the next
            // driver publishes it at start.
            for (ArchiveRecovery archive : archives) {
                archive.publish(stage, epoch.number());
            }
        } catch (Throwable t) {
            failed(t);
            throw t;
        }
        metrics.batchCommitted(counters, resultRows, System.currentTimeMillis());
        return resultRows;
    }

    /**
     * Publishes, in every archive root, the stage of the last batch this driver committed, if it is still staged: a
     * batch interrupted between its commit and its publication (a non-graceful stop), or whose publication failed.
     * Deletes nothing, so it is harmless after a newer leader took over (the stage is committed either way). A failure
     * is logged: the next driver's start, or the demo's verifier, rolls the stage forward instead.
     */
    void publishCommittedStage() {
        CommittedOffsets last = committed();
        for (ArchiveRecovery archive : archives) {
            try {
                int published = archive.rollForward(last);
                if (published > 0) {
                    LOG.info("published {} files of the committed stage {} at stop", published, last.stage());
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "could not publish the committed stage {} at stop (the next start will): {}",
                        last.stage(),
                        e.toString());
            }
        }
    }

    /**
     * Records that a batch failed part-way: after the results state had taken it in (the state is then ahead of the
     * committed offsets), or after its commit but before its archive stage was published. Every later batch of this
     * run must fail too: the driver restarts, rebuilds the state and publishes the committed stage.
     */
    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    /** Throws when an earlier batch of this run failed part-way. */
    void requireHealthy() {
        Throwable cause = failure.get();
        if (cause != null) {
            throw new IllegalStateException(
                    "an earlier batch failed part-way; the driver must restart to rebuild the"
                            + " results and publish the committed archive stage: " + cause,
                    cause);
        }
    }

    /** The hbase-spark context of this SparkContext, created on first use (it broadcasts the HBase configuration). */
    synchronized JavaHBaseContext hbaseContext(JavaSparkContext jsc) {
        if (hbaseContext == null || hbaseContextOwner.sc() != jsc.sc()) {
            hbaseContext = new JavaHBaseContext(jsc, settings.pipeline().hbase().clientConfiguration());
            hbaseContextOwner = jsc;
        }
        return hbaseContext;
    }
}
