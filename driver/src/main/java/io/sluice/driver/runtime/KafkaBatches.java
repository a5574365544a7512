package io.sluice.driver.runtime;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.RangeAligner;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.driver.config.SluiceConfig;
import io.sluice.jobs.pipeline.BatchCounters;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.results.ResultsState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.OffsetRange;

/**
 * The batches of Kafka's direct stream: a batch covers its offset ranges aligned with the committed offsets (a range a
 * restarted stream cut differently is clipped or extended to the committed offset, see {@link RangeAligner}); its
 * tasks read each range themselves; after the commit, the offsets go to the Kafka consumer group for lag tools. A
 * failed batch fails alone: the next one starts at the committed offsets again.
 */
final class KafkaBatches implements BatchSource<ConsumerRecord<byte[], byte[]>> {
    private final CanCommitOffsets stream;
    private final List<String> topics;

    /** @param topics the configured topics: a topic removed from them, still in an old checkpoint, is not read */
    KafkaBatches(CanCommitOffsets stream, List<String> topics) {
        this.stream = stream;
        this.topics = List.copyOf(topics);
    }

    @Override
    public Plan plan(
            JavaRDD<ConsumerRecord<byte[], byte[]>> rdd, Time time, CommittedOffsets committed, ResultsState results) {
        List<SourceRange> batch = ranges(rdd);
        List<SourceRange> aligned = RangeAligner.align(committed, batch);
        Map<TopicPartitionKey, SourceRange> toWrite = new HashMap<>();
        aligned.stream().filter(a -> !a.isEmpty()).forEach(a -> toWrite.put(a.key(), a));
        CommittedOffsets next = committed.advance(aligned);
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
            return new Plan.Nothing(); // a raised clock alone still commits, so the watermark it moves is written
        }
        List<SourceRange> written = List.copyOf(toWrite.values());
        return new Plan.Write(
                next, written, batch.stream().map(SourceRange::key).toList(), clocks, 0, "ranges " + written);
    }

    private List<SourceRange> ranges(JavaRDD<ConsumerRecord<byte[], byte[]>> rdd) {
        OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
        List<SourceRange> batch = new ArrayList<>(ranges.length);
        for (OffsetRange r : ranges) {
            if (topics.contains(r.topic())) {
                batch.add(SourceRange.of(r.topic(), r.partition(), r.fromOffset(), r.untilOffset()));
            }
        }
        return batch;
    }

    /**
     * One task per range, reading it itself: Spark's Kafka RDD fails on a range that ends in transaction markers
     * ({@code KafkaRangeReader}), so the stream's RDD only supplies the ranges and is never computed.
     */
    @Override
    public void write(
            JavaRDD<ConsumerRecord<byte[], byte[]>> rdd,
            Time time,
            Plan.Write plan,
            PartitionWriter writer,
            CurrentRun run) {
        writeRanges(
                JavaSparkContext.fromSparkContext(rdd.context()),
                plan.ranges(),
                writer,
                run,
                run.usesHBase(run.committer().committed().lagging().keySet()));
    }

    /** Writes {@code ranges}, one task each; {@code hbase}: with an HBase connection in each task. */
    static void writeRanges(
            JavaSparkContext jsc, List<SourceRange> ranges, PartitionWriter writer, CurrentRun run, boolean hbase) {
        List<SourceRange> nonEmpty = ranges.stream().filter(r -> !r.isEmpty()).toList();
        if (nonEmpty.isEmpty()) {
            return;
        }
        JavaRDD<SourceRange> tasks = jsc.parallelize(nonEmpty, nonEmpty.size());
        if (hbase) {
            run.hbaseContext(jsc).foreachPartition(tasks, t -> writer.write(t._1(), t._2()));
        } else {
            tasks.foreachPartition(t -> writer.write(t, null));
        }
    }

    @Override
    public boolean catchesUp() {
        return true;
    }

    /**
     * Reads every lagging partition again from the group's position, at most five batches' worth at the maximum rate,
     * one task per range; the results' clocks are its own, at the group's positions.
     */
    @Override
    public boolean catchUp(
            CurrentRun run, JavaSparkContext jsc, long time, List<String> group, Map<TopicPartitionKey, Long> from)
            throws Exception {
        CommittedOffsets committed = run.committer().committed();
        long most = Math.max(
                1,
                run.settings().config().getLong(SluiceConfig.KAFKA_MAX_RATE)
                        * run.settings().batchIntervalMs()
                        / 1000
                        * 5);
        List<SourceRange> ranges = new ArrayList<>();
        from.forEach((key, position) -> ranges.add(
                new SourceRange(key, position, Math.min(committed.next(key).orElseThrow(), position + most))));
        Map<TopicPartitionKey, Long> clocks = new HashMap<>();
        if (group.contains(ResultsJob.NAME) && run.results() != null) {
            List<SourceRange> all = new ArrayList<>(ranges);
            committed.asMap().forEach((key, next) -> {
                if (!from.containsKey(key)) {
                    all.add(new SourceRange(key, next, next));
                }
            });
            clocks.putAll(run.results().state().startClocks(all, time));
        }
        BatchCounters counters = BatchCounters.register(jsc.sc());
        writeRanges(jsc, ranges, CatchUp.writer(run, group, clocks, counters, run.claimFence(), Set.of()), run, true);
        return CatchUp.commit(run, time, group, ranges, counters);
    }

    @Override
    public void committed(JavaRDD<ConsumerRecord<byte[], byte[]>> rdd) {
        stream.commitAsync(((HasOffsetRanges) rdd.rdd()).offsetRanges());
    }

    @Override
    public boolean failureStopsRun() {
        return false;
    }
}
