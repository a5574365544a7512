package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReceivedPositions;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.pipeline.JobTask;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchivedBatches;
import io.sluice.jobs.sink.hbase.ClaimFence;
import io.sluice.jobs.source.PushSource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.dstream.DStream;

/**
 * The batches of push ingestion (sluice.source=http). Their records are the blocks the receivers stored in the
 * receiver WAL; Spark's checkpoint and WAL give a batch re-run after a driver restart the same blocks in the same order.
 * Tasks write each block (one RDD partition), numbering its records from the batch time, drop copies of events another
 * position already owns (a sender's retried request) and judge lateness against the source's one clock at the batch's
 * start.
 *
 * <p>Positions follow {@link ReceivedPositions}: every batch, an empty one too, commits its range, and a batch whose
 * range starts past the committed position (an earlier batch of the context failed) fails with {@code
 * OffsetGapException} instead of being written: a failed batch is never skipped because a later one committed. A batch
 * ending at or before the committed position is not written again. Any failure fails every later batch of the run; the
 * driver restarts and re-runs the failed batch from the checkpoint. A job that may lag and whose sink fails is no
 * failure: the batch commits, the job lags at the batch's start and catches up from the primary archive root, which
 * holds every committed batch ({@link #catchUp}).
 */
final class PushBatches implements BatchSource<byte[]> {
    /** The most batches one catch-up attempt reads from the archive. */
    static final int STEPS = 5;

    private final DStream<?> stream;

    /**
     * @param stream the stream this output is attached to: its slide duration and zero time (restored with the
     *     checkpoint) say which batch is the first of its context
     */
    PushBatches(DStream<?> stream) {
        this.stream = stream;
    }

    @Override
    public Plan plan(JavaRDD<byte[]> rdd, Time time, CommittedOffsets committed, ResultsState results) {
        long batchTime = time.milliseconds();
        long intervalMs = stream.slideDuration().milliseconds();
        Time zero = stream.zeroTime();
        boolean firstOfContext = zero != null && batchTime - intervalMs <= zero.milliseconds();
        Optional<SourceRange> range = ReceivedPositions.align(
                committed,
                ReceivedPositions.ofBatch(PushSource.CLOCK, batchTime, intervalMs, PushSource.RECORDS_PER_BLOCK),
                firstOfContext);
        if (range.isEmpty()) {
            // fenced like every commit: a deposed leader's batch must fail, never complete, since a completed batch
            // lets Spark clean the shared receiver WAL up to its time
            return new Plan.PositionOnly(committed, "committed already; not written again", false);
        }
        CommittedOffsets next = committed.advance(List.of(range.get()));
        if (rdd.getNumPartitions() == 0) {
            // no block received: only the position moves (same stage and replay positions), so that the next batch
            // finds no gap
            return new Plan.PositionOnly(next, "no block; position " + range.get() + " committed", true);
        }
        long clock = results == null ? EventClock.NO_TIME : results.clock(PushSource.CLOCK);
        return new Plan.Write(
                next,
                List.of(range.get()),
                List.of(PushSource.CLOCK),
                Map.of(),
                clock,
                rdd.getNumPartitions() + " blocks");
    }

    @Override
    public void write(JavaRDD<byte[]> rdd, Time time, Plan.Write plan, PartitionWriter writer, CurrentRun run) {
        long batchTime = time.milliseconds();
        long clock = plan.clock();
        if (run.usesHBase(run.committer().committed().lagging().keySet())) {
            run.hbaseContext(JavaSparkContext.fromSparkContext(rdd.context()))
                    .foreachPartition(rdd, t -> writer.writeReceived(t._1(), t._2(), batchTime, clock));
        } else { // no job writing to HBase, or they all lag: no connection to a store that may be down
            rdd.foreachPartition(t -> writer.writeReceived(t, null, batchTime, clock));
        }
    }

    @Override
    public boolean failureStopsRun() {
        return true;
    }

    /** With the primary archive root, the replay source of push ingestion. */
    @Override
    public boolean catchesUp() {
        return !CurrentRun.get().settings().pipeline().archiveRoots().isEmpty();
    }

    /**
     * Reads the committed batches after the group's position again from the primary archive root ({@link
     * ArchivedBatches}), one batch per step, each committed before the next (its events are judged against the
     * source's clock at the batch's start, the results' own); up to {@link #STEPS} batches, for about a batch interval.
     * The claims the batch that began the lag left are taken over ({@link ClaimFence#uncommittedSince}). A step without
     * an archived batch moves the group to the committed position.
     */
    @Override
    public boolean catchUp(
            CurrentRun run, JavaSparkContext jsc, long time, List<String> group, Map<TopicPartitionKey, Long> from)
            throws Exception {
        String root = run.settings().pipeline().archiveRoots().get(0);
        FileSystem fs = FileSystem.get(
                URI.create(root),
                ExecutorHadoop.configuration(run.settings().pipeline().hadoopProperties()));
        long position = from.get(PushSource.CLOCK);
        long committedNext = run.committer().committed().next(PushSource.CLOCK).orElseThrow();
        TreeMap<Long, List<ArchivedBatches.Block>> batches =
                ArchivedBatches.list(fs, new ArchiveLayout(root), position, committedNext);
        // the jobs outside the group write nothing: without the event store no claims, without the results no clock
        Set<String> others = run.tasks().stream()
                .map(JobTask::job)
                .filter(j -> !group.contains(j))
                .collect(Collectors.toSet());
        boolean hbase = run.settings().jobs().stream().anyMatch(j -> j.usesHBase() && group.contains(j.name()));
        long started = System.currentTimeMillis();
        for (int step = 0; step < STEPS && position < committedNext; step++) {
            if (step > 0
                    && System.currentTimeMillis() - started > run.settings().batchIntervalMs()) {
                break;
            }
            Map.Entry<Long, List<ArchivedBatches.Block>> batch = batches.ceilingEntry(position);
            long until = batch == null ? committedNext : batch.getKey() + PushSource.RECORDS_PER_BLOCK;
            long clock = group.contains(ResultsJob.NAME) && run.results() != null
                    ? run.results().state().clock(PushSource.CLOCK)
                    : EventClock.NO_TIME;
            BatchCounters counters = BatchCounters.register(jsc.sc());
            PartitionWriter writer = CatchUp.writer(
                    run,
                    group,
                    Map.of(),
                    counters,
                    ClaimFence.uncommittedSince(run.committer().epoch().number(), PushSource.NAME, position),
                    others);
            if (batch != null) {
                JavaRDD<ArchivedBatches.Block> blocks =
                        jsc.parallelize(batch.getValue(), batch.getValue().size());
                if (hbase) {
                    run.hbaseContext(jsc)
                            .foreachPartition(blocks, t -> writer.writeArchived(t._1(), t._2(), root, clock));
                } else {
                    blocks.foreachPartition(t -> writer.writeArchived(t, null, root, clock));
                }
            }
            if (!CatchUp.commit(
                    run, time, group, List.of(new SourceRange(PushSource.CLOCK, position, until)), counters)) {
                return false;
            }
            position = until;
        }
        return true;
    }
}
