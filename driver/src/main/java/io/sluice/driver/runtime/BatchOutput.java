package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.streaming.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one output operation of every batch, whatever the source (docs/commit-protocol.md): the source says which
 * positions the batch covers, aligned with the committed ones; the tasks parse them once and every job writes them
 * (the archive into the batch's stage); only when all of that succeeded does the {@link BatchCommitter} let every job's
 * driver side write and commit the positions to ZooKeeper (fenced by the epoch), after which the jobs publish and the
 * source follows up (Kafka's commitAsync). Any failure is thrown: the batch is not committed, Spark marks its only job
 * failed, and it is written again.
 *
 * <p>Being the only output operation matters: Spark's checkpoint marks a batch complete when its last job ends, and
 * with one job per batch a failed batch is never marked complete.
 */
final class BatchOutput<R> implements VoidFunction2<JavaRDD<R>, Time> {
    private static final Logger LOG = LoggerFactory.getLogger(BatchOutput.class);
    private final BatchSource<R> source;

    BatchOutput(BatchSource<R> source) {
        this.source = source;
    }

    @Override
    public void call(JavaRDD<R> rdd, Time time) throws Exception {
        CurrentRun run = CurrentRun.get();
        run.committer().requireHealthy();
        try {
            write(run, rdd, time);
        } catch (Throwable t) {
            if (source.failureStopsRun()) {
                run.committer().failed(t); // a failed task too: no later batch of this run may commit past this one
            }
            throw t;
        }
    }

    private void write(CurrentRun run, JavaRDD<R> rdd, Time time) throws Exception {
        if (source.catchesUp() && !run.committer().committed().lagging().isEmpty()) {
            run.catchUp().attempt(run, JavaSparkContext.fromSparkContext(rdd.context()), time.milliseconds(), source);
        }
        CommittedOffsets committed = run.committer().committed();
        Set<String> lagging = committed.lagging().keySet();
        // a lagging results job's clocks are its own, at its own positions
        ResultsState results = run.results() == null || lagging.contains(ResultsJob.NAME)
                ? null
                : run.results().state();
        BatchSource.Plan plan = source.plan(rdd, time, committed, results);
        if (plan instanceof BatchSource.Plan.Nothing) {
            return;
        }
        if (plan instanceof BatchSource.Plan.PositionOnly only) {
            // fenced like every commit: a deposed leader's batch must fail, never complete
            run.committer().commitPosition(only.next());
            if (only.routine()) {
                LOG.debug("batch {}: {}", time, only.why());
            } else {
                LOG.info("batch {}: {}", time, only.why());
            }
            return;
        }
        BatchSource.Plan.Write write = (BatchSource.Plan.Write) plan;
        BatchCounters counters = BatchCounters.register(rdd.context());
        String stage = ArchiveLayout.stageName(run.committer().epoch().number(), time.milliseconds());
        PartitionWriter writer = new PartitionWriter(
                run.settings().pipeline(),
                run.tasks(),
                run.consumerParams(),
                write.clocks(),
                counters,
                stage,
                run.claimFence(),
                lagging);
        long started = System.nanoTime();
        source.write(rdd, time, write, writer, run);
        long written = System.nanoTime();
        Map<TopicPartitionKey, Long> starts = new HashMap<>();
        write.ranges().forEach(r -> starts.put(r.key(), r.from()));
        BatchCommitter.Committed done =
                run.commit(time.milliseconds(), stage, write.sources(), counters, write.next(), starts);
        source.committed(rdd);
        // the tasks, then the driver's serial part (jobs' driver sides, ZooKeeper commit, publication), executors idle
        long tasksMs = TimeUnit.NANOSECONDS.toMillis(written - started);
        long driverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written);
        run.metrics().batchPhases(tasksMs, driverMs);
        LOG.info(
                "batch {} committed at {}: {} {} driver={} tasks_ms={} driver_ms={}{}",
                time,
                run.committer().epoch(),
                write.describe(),
                counters,
                done.counts(),
                tasksMs,
                driverMs,
                done.offsets().lagging().isEmpty()
                        ? ""
                        : " lagging=" + done.offsets().lagging().keySet());
    }
}
