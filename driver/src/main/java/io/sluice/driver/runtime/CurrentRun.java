package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.eventstore.EventStoreJob;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.JobTask;
import io.sluice.jobs.results.ResultsDriver;
import io.sluice.jobs.sink.hbase.ClaimFence;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.source.KafkaSource;
import io.sluice.jobs.source.PushSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.spark.JavaHBaseContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The current run of the driver, reached by the batch output through a static reference rather than captured in it:
 * the batch output is serialized into Spark's checkpoint, and after a restart it must use this run's committer, epoch,
 * jobs and settings, not those of the run that wrote the checkpoint (as Spark's {@code
 * JavaRecoverableNetworkWordCount} does with its lazily created singletons).
 */
final class CurrentRun {
    private static final AtomicReference<CurrentRun> CURRENT = new AtomicReference<>();

    private final SluiceSettings settings;
    private final BatchCommitter committer;
    private final List<JobTask> tasks;
    private final ResultsDriver results;
    private final PipelineMetrics metrics;
    private final ClaimFence claimFence;
    private final Connection hbase;
    private final CatchUp catchUp = new CatchUp();
    private HBaseProbe probe;
    private JavaHBaseContext hbaseContext;
    private JavaSparkContext hbaseContextOwner;

    /**
     * @param tasks the task sides of the run's jobs
     * @param results the results job's driver side, which drives the pipeline's event-time stage; null without it
     * @param hbase the driver's HBase connection; null without HBase
     */
    CurrentRun(
            SluiceSettings settings,
            BatchCommitter committer,
            List<JobTask> tasks,
            ResultsDriver results,
            PipelineMetrics metrics,
            Connection hbase) {
        this.settings = settings;
        this.committer = committer;
        this.tasks = List.copyOf(tasks);
        this.results = results;
        this.metrics = metrics;
        this.hbase = hbase;
        // the claims are the event store's: from its own positions when it lags
        this.claimFence = claimFence(committer.epoch(), committer.committed().forJob(EventStoreJob.NAME));
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
                epoch.number(), next, atStart.next(PushSource.CLOCK).orElse(0));
    }

    static void install(CurrentRun run) {
        CURRENT.set(run);
    }

    static void uninstall(CurrentRun run) {
        CURRENT.compareAndSet(run, null);
    }

    static CurrentRun get() {
        CurrentRun run = CURRENT.get();
        if (run == null) {
            throw new IllegalStateException("no Sluice driver is running in this JVM");
        }
        return run;
    }

    SluiceSettings settings() {
        return settings;
    }

    BatchCommitter committer() {
        return committer;
    }

    List<JobTask> tasks() {
        return tasks;
    }

    /** The results job's driver side; null when the run has no results job. */
    ResultsDriver results() {
        return results;
    }

    PipelineMetrics metrics() {
        return metrics;
    }

    /** The Kafka consumer parameters a task reads its range with; empty for push ingestion. */
    Map<String, Object> consumerParams() {
        return settings.kafka() == null ? Map.of() : KafkaSource.consumerParams(settings.kafka());
    }

    /** The claims of deposed leaders this driver's tasks may take over. */
    ClaimFence claimFence() {
        return claimFence;
    }

    /**
     * Commits a batch whose tasks all succeeded ({@link BatchCommitter#commit}) and adds what it wrote to the metrics.
     *
     * @param sources every source partition of the stream, written this batch or not
     */
    BatchCommitter.Committed commit(
            long time,
            String stage,
            List<TopicPartitionKey> sources,
            BatchCounters counters,
            CommittedOffsets next,
            Map<TopicPartitionKey, Long> starts)
            throws Exception {
        BatchCommitter.Committed committed =
                committer.commit(time, stage, sources, counters::reportsOf, next, counters.laggedJobs(), starts);
        metrics.batchCommitted(counters, committed.counts(), System.currentTimeMillis());
        return committed;
    }

    /** The lagging jobs' catch-up steps. */
    CatchUp catchUp() {
        return catchUp;
    }

    /** Whether HBase answers now ({@link HBaseProbe}, on the driver's connection; false without one). */
    synchronized boolean hbaseAnswers() {
        if (probe == null && hbase != null) {
            probe = new HBaseProbe(hbase);
        }
        return probe != null && probe.answers();
    }

    /** Stops the probe's thread. */
    synchronized void close() {
        if (probe != null) {
            probe.close();
        }
    }

    /** Whether a batch's tasks need an HBase connection: a job that does not lag writes to HBase. */
    boolean usesHBase(Set<String> lagging) {
        return settings.usesHBase()
                && settings.jobs().stream().anyMatch(j -> j.usesHBase() && !lagging.contains(j.name()));
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
