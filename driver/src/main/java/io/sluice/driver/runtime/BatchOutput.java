package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.RangeAligner;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.source.KafkaSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.OffsetRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one output operation of every batch (docs/commit-protocol.md): align the batch's offset ranges with the
 * committed offsets, write every sink from the tasks (archive files into the batch's stage), and only when all of that
 * succeeded commit the offsets to ZooKeeper (fenced by the epoch), publish the staged archive files, and commit to
 * Kafka. Any failure is thrown: the batch is not committed, Spark marks
 * its only job failed, and the driver stops and restarts from the committed offsets.
 *
 * <p>Being the only output operation matters: Spark's checkpoint marks a batch complete when its last job ends, and
 * with one job per batch a failed batch is never marked complete.
 */
public final class BatchOutput implements VoidFunction2<JavaRDD<ConsumerRecord<byte[], byte[]>>, Time> {
    private static final Logger LOG = LoggerFactory.getLogger(BatchOutput.class);
    private final CanCommitOffsets kafka;

    public BatchOutput(CanCommitOffsets kafka) {
        this.kafka = kafka;
    }

    @Override
    public void call(JavaRDD<ConsumerRecord<byte[], byte[]>> rdd, Time time) throws Exception {
        DriverServices services = DriverServices.current();
        services.requireHealthy();
        OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
        List<String> topics = services.settings().kafka().topics();
        List<SourceRange> batch = new ArrayList<>(ranges.length);
        for (OffsetRange r : ranges) {
            if (topics.contains(r.topic())) { // a topic removed from the configuration, still in an old checkpoint
                batch.add(SourceRange.of(r.topic(), r.partition(), r.fromOffset(), r.untilOffset()));
            }
        }
        CommittedOffsets committed = services.committed();
        List<SourceRange> aligned = RangeAligner.align(committed, batch);
        Map<TopicPartitionKey, SourceRange> toWrite = new HashMap<>();
        aligned.stream().filter(a -> !a.isEmpty()).forEach(a -> toWrite.put(a.key(), a));
        CommittedOffsets next = committed.advance(aligned);
        ResultsState results = services.results();
        Map<TopicPartitionKey, Long> clocks = new HashMap<>();
        if (results != null) { // every partition of the stream: idle and joining ones move the watermark too
            List<SourceRange> all = new ArrayList<>(batch.size());
            for (SourceRange r : batch) {
                long at = committed.next(r.key()).orElse(r.from());
                all.add(toWrite.getOrDefault(r.key(), new SourceRange(r.key(), at, at)));
            }
            clocks.putAll(results.startClocks(all, time.milliseconds()));
        }
        if (next.equals(committed) && (results == null || !results.raisedSinceCommit())) {
            return; // nothing new: a raised clock alone still commits, so the watermark it moves is written
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rdd.context());
        BatchCounters counters = BatchCounters.register(rdd.context());
        String stage = ArchiveLayout.stageName(services.epoch().number(), time.milliseconds());
        if (!toWrite.isEmpty()) {
            // one task per range, reading it itself: Spark's Kafka RDD fails on a range that ends in transaction
            // markers (KafkaRangeReader), so the stream's RDD only supplies the ranges and is never computed
            List<SourceRange> toRead = List.copyOf(toWrite.values());
            JavaRDD<SourceRange> tasks = jsc.parallelize(toRead, toRead.size());
            PartitionWriter writer = new PartitionWriter(
                    services.settings().pipeline(),
                    KafkaSource.consumerParams(services.settings().kafka()),
                    clocks,
                    counters,
                    stage,
                    services.claimFence());
            if (services.settings().pipeline().hbase().enabled()) {
                services.hbaseContext(jsc).foreachPartition(tasks, t -> writer.write(t._1(), t._2()));
            } else {
                tasks.foreachPartition(t -> writer.write(t, null));
            }
        }
        long resultRows = services.commit(
                next, stage, batch.stream().map(SourceRange::key).toList(), counters);
        List<SourceRange> written = List.copyOf(toWrite.values());
        kafka.commitAsync(ranges);
        LOG.info(
                "batch {} committed at {}: ranges {} {} result_rows={}",
                time,
                services.epoch(),
                written,
                counters,
                resultRows);
    }
}
