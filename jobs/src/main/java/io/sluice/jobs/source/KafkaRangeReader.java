package io.sluice.jobs.source;

import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition's offset range {@code [from, until)} in a task, whatever gaps it has: transaction markers and
 * aborted records of transactional producers (read {@code read_committed}), offsets removed by compaction. The
 * consumer's position, not the offsets of the records returned, says when the range is done, so a range that ends in
 * markers ends. Spark's own Kafka RDD expects a record at or right after every position and, for such a range,
 * fails every attempt ("Failed to get records ... after polling"), even with
 * {@code spark.streaming.kafka.allowNonConsecutiveOffsets}.
 *
 * <p>The records of the range are returned whole (a batch's share of a partition is bounded by the rate limits).
 */
public final class KafkaRangeReader {
    /** How long the position may stay put before the read fails (the batch then fails and is written again). */
    public static final Duration STALL_LIMIT = Duration.ofSeconds(120);

    private KafkaRangeReader() {}

    /** Reads {@code range} and parses its records: arrival = the record timestamp. */
    public static PartitionBatch parse(Map<String, Object> params, SourceRange range, EventParser parser) {
        return parser.parseBatch(
                range,
                read(params, range).iterator(),
                ConsumerRecord::offset,
                ConsumerRecord::timestamp,
                ConsumerRecord::value);
    }

    /**
     * @param params the stream's consumer parameters ({@link KafkaSource#consumerParams}); the group id is dropped (an
     *     assigned consumer never commits) and an offset out of range is an error, never a reset
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(Map<String, Object> params, SourceRange range) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        if (range.isEmpty()) {
            return records;
        }
        Map<String, Object> p = new HashMap<>(params);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(range.key().topic(), range.key().partition());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, range.from());
            long stalledSince = System.nanoTime();
            long position = range.from();
            while (position < range.until()) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : polled.records(tp)) {
                    if (r.offset() >= range.from() && r.offset() < range.until()) {
                        records.add(r);
                    }
                }
                long now = consumer.position(tp);
                if (now > position) {
                    position = now;
                    stalledSince = System.nanoTime();
                } else if (System.nanoTime() - stalledSince > STALL_LIMIT.toNanos()) {
                    throw new IllegalStateException("reading Kafka " + range + ": the position stayed at " + position
                            + " for " + STALL_LIMIT.toSeconds() + " s");
                }
            }
        }
        return records;
    }
}
