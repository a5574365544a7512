package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.streaming.Time;
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
 * the epoch) and publishes the stage; a batch before the committed position is not written again.
 */
public final class ReceiverBatchOutput implements VoidFunction2<JavaRDD<byte[]>, Time> {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverBatchOutput.class);

    @Override
    public void call(JavaRDD<byte[]> rdd, Time time) throws Exception {
        DriverServices services = DriverServices.current();
        services.requireHealthy();
        long batchTime = time.milliseconds();
        long base = batchTime * PartitionWriter.RECORDS_PER_BLOCK;
        CommittedOffsets committed = services.committed();
        long next = committed.next(PartitionWriter.RECEIVED_CLOCK).orElse(0);
        if (base < next) {
            LOG.info("batch {} committed already; not written again", time);
            return;
        }
        if (rdd.getNumPartitions() == 0) {
            return; // no block received: nothing to write or commit
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rdd.context());
        BatchCounters counters = BatchCounters.register(rdd.context());
        String stage = ArchiveLayout.stageName(services.epoch().number(), batchTime);
        ResultsState results = services.results();
        long clock = results == null ? EventClock.NO_TIME : results.clock(PartitionWriter.RECEIVED_CLOCK);
        PartitionWriter writer =
                new PartitionWriter(services.settings().pipeline(), Map.of(), Map.of(), counters, stage);
        services.hbaseContext(jsc).foreachPartition(rdd, t -> writer.writeReceived(t._1(), t._2(), batchTime, clock));
        long resultRows = services.commit(
                committed.advance(List.of(new SourceRange(
                        PartitionWriter.RECEIVED_CLOCK, next, base + PartitionWriter.RECORDS_PER_BLOCK))),
                stage,
                List.of(PartitionWriter.RECEIVED_CLOCK),
                counters);
        LOG.info(
                "batch {} committed at {}: {} blocks {} result_rows={}",
                time,
                services.epoch(),
                rdd.getNumPartitions(),
                counters,
                resultRows);
    }
}
