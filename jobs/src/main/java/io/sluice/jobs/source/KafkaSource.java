package io.sluice.jobs.source;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.TopicPartitionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;

/**
 * The Kafka 0-10 direct stream, starting from the committed offsets. Partitions without a committed offset start
 * at the reset policy, resolved here to explicit offsets (the beginning or the end of the partition): the Kafka
 * consumer group's own committed offsets are never a starting point, since another application or an earlier run
 * with the same group id may have moved them.
 *
 * <p>Partitions are assigned, not subscribed: the driver's consumer never joins the consumer group, so a driver
 * restarted after {@code kill -9} does not wait for the dead one's group membership to expire (session timeout)
 * before it gets its partitions. The group id is still used for {@code commitAsync}, so lag tools see the offsets.
 * Partitions added to a topic are picked up while the driver runs ({@link DiscoveringAssign}). Rate limits ({@code spark.streaming.kafka.maxRatePerPartition}, backpressure and its initial
 * rate) are Spark properties, set by the driver.
 */
public final class KafkaSource {
    private KafkaSource() {}

    public static JavaInputDStream<ConsumerRecord<byte[], byte[]>> createStream(
            JavaStreamingContext ssc, KafkaSourceSettings settings, CommittedOffsets from) {
        Map<String, Object> params = consumerParams(settings);
        Map<TopicPartition, Long> offsets = startOffsets(params, settings.topics(), settings.resetPolicy(), from);
        return KafkaUtils.createDirectStream(
                ssc,
                LocationStrategies.PreferConsistent(),
                new DiscoveringAssign(
                        settings.topics(), params, settings.secrets(), offsets, settings.partitionDiscoveryMs()));
    }

    /**
     * The consumer parameters of the stream and of any batch read of the same topics: the operator's consumer
     * properties and secrets, then the ones Sluice sets (which the configuration does not let an operator override).
     */
    public static Map<String, Object> consumerParams(KafkaSourceSettings settings) {
        Map<String, Object> params = new HashMap<>(settings.consumerProperties());
        params.putAll(settings.secrets().values());
        params.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        params.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        params.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.resetPolicy());
        params.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // transactional producers: aborted records are never read, and the end of a partition is its last stable
        // offset; the markers' gaps are read by KafkaRangeReader
        params.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        params.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        params.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return params;
    }

    /**
     * Where every partition of the topics starts: its committed offset; else, for a topic of which another partition
     * has a committed offset (the partition was added since), the beginning of the partition, whatever the reset
     * policy; else (a topic new to the application) the beginning ({@code earliest}) or the end ({@code latest}) of
     * the partition as the brokers report it now. A missing topic is an error that names it.
     */
    static Map<TopicPartition, Long> startOffsets(
            Map<String, Object> params, List<String> topics, String resetPolicy, CommittedOffsets committed) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(params)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("Kafka topic " + topic + " does not exist (sluice.kafka.topics)");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            Set<String> readBefore = new HashSet<>();
            committed.asMap().keySet().forEach(key -> readBefore.add(key.topic()));
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(60));
            Map<TopicPartition, Long> reset =
                    "latest".equals(resetPolicy) ? consumer.endOffsets(partitions, Duration.ofSeconds(60)) : beginning;
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OptionalLong next = committed.next(new TopicPartitionKey(tp.topic(), tp.partition()));
                Map<TopicPartition, Long> fresh = readBefore.contains(tp.topic()) ? beginning : reset;
                offsets.put(tp, next.isPresent() ? next.getAsLong() : fresh.get(tp));
            }
            return offsets;
        }
    }
}
