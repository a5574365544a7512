package io.sluice.jobs.source;

import io.sluice.checkpoint.CommittedOffsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;

/**
 * The Kafka 0-10 direct stream, starting from the committed offsets. Partitions without a committed offset start
 * at the reset policy. Rate limits ({@code spark.streaming.kafka.maxRatePerPartition}, backpressure and its initial
 * rate) are Spark properties, set by the driver.
 */
public final class KafkaSource {
    private KafkaSource() {}

    public static JavaInputDStream<ConsumerRecord<byte[], byte[]>> createStream(JavaStreamingContext ssc,
            KafkaSourceSettings settings, CommittedOffsets from) {
        Map<String, Object> params = new HashMap<>(settings.consumerProperties());
        params.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        params.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        params.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.resetPolicy());
        params.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        params.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        params.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        from.asMap().forEach((key, next) -> {
            if (settings.topics().contains(key.topic())) {
                offsets.put(new TopicPartition(key.topic(), key.partition()), next);
            }
        });
        return KafkaUtils.createDirectStream(ssc, LocationStrategies.PreferConsistent(),
                ConsumerStrategies.<byte[], byte[]>Subscribe(settings.topics(), params, offsets));
    }
}
