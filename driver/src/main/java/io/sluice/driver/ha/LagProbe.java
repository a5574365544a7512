package io.sluice.driver.ha;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.source.KafkaSource;
import io.sluice.jobs.source.KafkaSourceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Consumer lag per partition for the metrics: Kafka's end offsets (read on demand) minus the committed offsets. */
final class LagProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagProbe.class);
    private final KafkaSourceSettings settings;
    private KafkaConsumer<byte[], byte[]> consumer;

    LagProbe(KafkaSourceSettings settings) {
        this.settings = settings;
    }

    /** Empty when Kafka does not answer in time: the scrape must not hang. */
    synchronized Map<TopicPartitionKey, Long> lag(CommittedOffsets committed) {
        try {
            if (consumer == null) {
                consumer = new KafkaConsumer<>(KafkaSource.consumerParams(settings));
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : settings.topics()) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(5))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            Map<TopicPartitionKey, Long> lag = new TreeMap<>();
            consumer.endOffsets(partitions, Duration.ofSeconds(5)).forEach((tp, end) -> {
                TopicPartitionKey key = new TopicPartitionKey(tp.topic(), tp.partition());
                lag.put(key, Math.max(0, end - committed.next(key).orElse(0)));
            });
            return lag;
        } catch (RuntimeException e) {
            LOG.warn("consumer lag unavailable: {}", e.toString());
            return Map.of();
        }
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
