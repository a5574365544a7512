package io.sluice.jobs.source;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.TopicPartitionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets each partition of the topics holds now: from its log start (records before it were deleted by
 * retention, compaction or {@code deleteRecords}) to its log end. A committed offset outside that range cannot be
 * resumed from without losing or re-reading records, so a start checks it ({@link #requireCommittedWithin}) and stops
 * with a line that names the partition, both offsets and the command that resolves it.
 */
public record KafkaLogRange(Map<TopicPartitionKey, Long> start, Map<TopicPartitionKey, Long> end) {

    /** Reads the log start and end of every partition of {@code settings}' topics. */
    public static KafkaLogRange read(KafkaSourceSettings settings) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaSource.consumerParams(settings))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : settings.topics()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("Kafka topic " + topic + " does not exist (sluice.kafka.topics)");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            return new KafkaLogRange(
                    keyed(consumer.beginningOffsets(partitions, Duration.ofSeconds(60))),
                    keyed(consumer.endOffsets(partitions, Duration.ofSeconds(60))));
        }
    }

    /**
     * Throws when a committed offset of a partition of these topics lies below its log start or above its log end.
     *
     * @param configFile how the operator names the configuration in the command that resolves it
     */
    public void requireCommittedWithin(CommittedOffsets committed, String configFile) {
        for (Map.Entry<TopicPartitionKey, Long> p : start.entrySet()) {
            OptionalLong next = committed.next(p.getKey());
            if (next.isEmpty()) {
                continue;
            }
            long first = p.getValue();
            long last = end.get(p.getKey());
            String name = p.getKey().topic() + "-" + p.getKey().partition();
            String command = "./bin/sluice offsets --config " + configFile + " --move " + name + "=";
            if (next.getAsLong() < first) {
                throw new IllegalStateException("Kafka partition " + name + ": the committed offset "
                        + next.getAsLong() + " is below the log start " + first + ": " + (first - next.getAsLong())
                        + " records were deleted (retention, compaction or deleteRecords) before Sluice processed"
                        + " them; nothing was skipped. To accept their loss and resume at the log start, run: "
                        + command + first);
            }
            if (next.getAsLong() > last) {
                throw new IllegalStateException("Kafka partition " + name + ": the committed offset "
                        + next.getAsLong() + " is above the log end " + last + " (the topic was re-created, or an"
                        + " unclean leader election lost records); nothing was skipped. To read the partition from its"
                        + " start, run: " + command + first);
            }
        }
    }

    private static Map<TopicPartitionKey, Long> keyed(Map<TopicPartition, Long> offsets) {
        Map<TopicPartitionKey, Long> keyed = new TreeMap<>();
        offsets.forEach((tp, offset) -> keyed.put(new TopicPartitionKey(tp.topic(), tp.partition()), offset));
        return keyed;
    }
}
