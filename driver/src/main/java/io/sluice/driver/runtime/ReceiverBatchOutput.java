package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveRecovery;
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
 * sender's retried request, see {@code EventClaims}). When all succeeded, the batch time is committed in ZooKeeper
 * (fenced by the epoch, with the stage) and the stage published; a batch at or before the committed time is not
 * written again.
 */
public final class ReceiverBatchOutput implements VoidFunction2<JavaRDD<byte[]>, Time> {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverBatchOutput.class);

    /** The committed-offsets entry of push ingestion: the next batch time to write. */
    public static final TopicPartitionKey BATCHES = new TopicPartitionKey("_http-batches", 0);

    @Override
    public void call(JavaRDD<byte[]> rdd, Time time) throws Exception {
        DriverServices services = DriverServices.current();
        services.requireHealthy();
        long batchTime = time.milliseconds();
        CommittedOffsets committed = services.committed();
        long next = committed.next(BATCHES).orElse(0);
        if (batchTime < next) {
            LOG.info("batch {} committed already; not written again", time);
            return;
        }
        if (rdd.getNumPartitions() == 0) {
            return; // no block received: nothing to write or commit
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rdd.context());
        BatchCounters counters = BatchCounters.register(rdd.context());
        String stage = ArchiveLayout.stageName(services.epoch().number(), batchTime);
        PartitionWriter writer =
                new PartitionWriter(services.settings().pipeline(), Map.of(), Map.of(), counters, stage);
        services.hbaseContext(jsc).foreachPartition(rdd, t -> writer.writeReceived(t._1(), t._2(), batchTime));
        try {
            CommittedOffsets advanced = committed
                    .advance(List.of(new SourceRange(BATCHES, next, batchTime + 1)))
                    .withStage(stage);
            services.offsetStore().commit(services.epoch(), advanced);
            services.committed(advanced);
            for (ArchiveRecovery archive : services.archives()) {
                archive.publish(stage, services.epoch().number());
            }
        } catch (Throwable t) {
            services.failed(t);
            throw t;
        }
        services.metrics().batchCommitted(counters, 0, System.currentTimeMillis());
        LOG.info("batch {} committed at {}: {} blocks {}", time, services.epoch(), rdd.getNumPartitions(), counters);
    }
}
