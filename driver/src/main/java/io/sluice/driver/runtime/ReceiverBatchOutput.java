package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReceivedPositions;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.dstream.DStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one output operation of every push-ingestion batch (sluice.source=http). Its records are the blocks that the
 * receivers stored in the receiver WAL; Spark's checkpoint and WAL give a batch that is re-run after a driver restart
 * the same blocks in the same order. Tasks write each block (one RDD partition) to the archive stage and the event
 * store, numbering its records from the batch time, and drop copies of events another position already owns (a
 * sender's retried request, see {@code EventClaims}) and judge lateness against the source's one clock at the batch's
 * start. When all succeeded, the driver merges the results and writes the touched count rows (fenced by the epoch),
 * commits the batch's end position with the replay position of the open windows and the stage in ZooKeeper (fenced by
 * the epoch) and publishes the stage.
 *
 * <p>Positions follow {@link ReceivedPositions}: every batch, an empty one too, commits its range, and a batch whose
 * range starts past the committed position (an earlier batch of the context failed) fails with {@code
 * OffsetGapException} instead of being written: a failed batch is never skipped because a later one committed. A
 * batch ending at or before the committed position is not written again. Any failure marks the run failed ({@code
 * DriverServices.failed}), so no later batch of this run commits either; the driver restarts and re-runs the failed
 * batch from the checkpoint.
 */
public final class ReceiverBatchOutput implements VoidFunction2<JavaRDD<byte[]>, Time> {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverBatchOutput.class);
    private final DStream<?> stream;

    /**
     * @param stream the stream this output is attached to: its slide duration and zero time (restored with the
     *     checkpoint) say which batch is the first of its context
     */
    public ReceiverBatchOutput(DStream<?> stream) {
        this.stream = stream;
    }

    @Override
    public void call(JavaRDD<byte[]> rdd, Time time) throws Exception {
        DriverServices services = DriverServices.current();
        services.requireHealthy();
        try {
            write(services, rdd, time);
        } catch (Throwable t) {
            services.failed(t); // a failed task too: no later batch of this run may commit past this one
            throw t;
        }
    }

    private void write(DriverServices services, JavaRDD<byte[]> rdd, Time time) throws Exception {
        long batchTime = time.milliseconds();
        long intervalMs = stream.slideDuration().milliseconds();
        Time zero = stream.zeroTime();
        boolean firstOfContext = zero != null && batchTime - intervalMs <= zero.milliseconds();
        CommittedOffsets committed = services.committed();
        Optional<SourceRange> range = ReceivedPositions.align(
                committed,
                ReceivedPositions.ofBatch(
                        PartitionWriter.RECEIVED_CLOCK, batchTime, intervalMs, PartitionWriter.RECORDS_PER_BLOCK),
                firstOfContext);
        if (range.isEmpty()) {
            // fenced like every commit: a deposed leader's batch must fail, never complete, since a completed batch
            // lets Spark clean the shared receiver WAL up to its time
            services.offsetStore().commit(services.epoch(), committed);
            LOG.info("batch {} committed already; not written again", time);
            return;
        }
        CommittedOffsets next = committed.advance(List.of(range.get()));
        if (rdd.getNumPartitions() == 0) {
            // no block received: only the position moves (same stage and replay positions), so that the next batch
            // finds no gap; fenced like every commit
            services.offsetStore().commit(services.epoch(), next);
            services.committed(next);
            LOG.debug("batch {} had no block; position {} committed", time, range.get());
            return;
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rdd.context());
        BatchCounters counters = BatchCounters.register(rdd.context());
        String stage = ArchiveLayout.stageName(services.epoch().number(), batchTime);
        ResultsState results = services.results();
        long clock = results == null ? EventClock.NO_TIME : results.clock(PartitionWriter.RECEIVED_CLOCK);
        PartitionWriter writer = new PartitionWriter(
                services.settings().pipeline(), Map.of(), Map.of(), counters, stage, services.claimFence());
        services.hbaseContext(jsc).foreachPartition(rdd, t -> writer.writeReceived(t._1(), t._2(), batchTime, clock));
        long resultRows = services.commit(next, stage, List.of(PartitionWriter.RECEIVED_CLOCK), counters);
        LOG.info(
                "batch {} committed at {}: {} blocks {} result_rows={}",
                time,
                services.epoch(),
                rdd.getNumPartitions(),
                counters,
                resultRows);
    }
}
