package io.sluice.demo;

import io.sluice.checkpoint.TopicPartitionKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic's end offsets (for lag = end - committed). */
public final class TopicEnds implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;

    public TopicEnds(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(p);
        this.topic = topic;
    }

    public Map<TopicPartitionKey, Long> endOffsets() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        Map<TopicPartitionKey, Long> ends = new HashMap<>();
        consumer.endOffsets(partitions)
                .forEach((tp, end) -> ends.put(new TopicPartitionKey(tp.topic(), tp.partition()), end));
        return ends;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
