package io.sluice.jobs.source;

import io.sluice.checkpoint.TopicPartitionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads topics' end offsets (for lag = end - committed). Not thread-safe. */
public final class TopicEnds implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final Duration timeout;

    public TopicEnds(String bootstrapServers, String topic) {
        this(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class),
                List.of(topic),
                Duration.ofSeconds(60));
    }

    /**
     * @param consumerParams Kafka consumer parameters (byte-array deserializers), e.g. {@link
     *     KafkaSource#consumerParams}
     * @param timeout how long one read may wait for the brokers before it throws
     */
    public TopicEnds(Map<String, Object> consumerParams, List<String> topics, Duration timeout) {
        this.consumer = new KafkaConsumer<>(consumerParams);
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    public Map<TopicPartitionKey, Long> endOffsets() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        Map<TopicPartitionKey, Long> ends = new HashMap<>();
        consumer.endOffsets(partitions, timeout)
                .forEach((tp, end) -> ends.put(new TopicPartitionKey(tp.topic(), tp.partition()), end));
        return ends;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
