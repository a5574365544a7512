package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReceivedPositions;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.source.PushSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * driver restarts and re-runs the failed batch from the checkpoint.
 */
final class PushBatches implements BatchSource<byte[]> {
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
        run.hbaseContext(JavaSparkContext.fromSparkContext(rdd.context()))
                .foreachPartition(rdd, t -> writer.writeReceived(t._1(), t._2(), batchTime, clock));
    }

    @Override
    public boolean failureStopsRun() {
        return true;
    }
}
