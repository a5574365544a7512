package io.sluice.jobs.source;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The Kafka topics Sluice reads and how it connects to them.
 *
 * @param consumerProperties Kafka consumer properties given by the operator ({@code sluice.kafka.consumer.*}), none of
 *     them secret: security protocol, SASL mechanism, truststore location, timeouts
 * @param partitionDiscoveryMs how often the driver looks for partitions added to the topics; 0: only at start
 * @param secrets the secret consumer properties, resolved in the driver ({@link KafkaSecrets})
 */
public record KafkaSourceSettings(
        String bootstrapServers,
        List<String> topics,
        String groupId,
        String resetPolicy,
        Map<String, String> consumerProperties,
        long partitionDiscoveryMs,
        KafkaSecrets secrets)
        implements Serializable {
    /** The default of {@link #partitionDiscoveryMs}. */
    public static final long DEFAULT_PARTITION_DISCOVERY_MS = 30_000;

    /** The prefix of the Sluice properties that pass a Kafka consumer property through. */
    public static final String CONSUMER_PREFIX = "sluice.kafka.consumer.";

    public KafkaSourceSettings(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            String resetPolicy,
            Map<String, String> consumerProperties) {
        this(bootstrapServers, topics, groupId, resetPolicy, consumerProperties, DEFAULT_PARTITION_DISCOVERY_MS);
    }

    public KafkaSourceSettings(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            String resetPolicy,
            Map<String, String> consumerProperties,
            long partitionDiscoveryMs) {
        this(
                bootstrapServers,
                topics,
                groupId,
                resetPolicy,
                consumerProperties,
                partitionDiscoveryMs,
                KafkaSecrets.NONE);
    }

    public KafkaSourceSettings {
        if (partitionDiscoveryMs < 0) {
            throw new IllegalArgumentException(
                    "partition discovery interval must be >= 0 ms, got " + partitionDiscoveryMs);
        }
        topics = List.copyOf(topics);
        consumerProperties = Map.copyOf(consumerProperties);
        secrets = secrets == null ? KafkaSecrets.NONE : secrets;
    }

    /** The Sluice property that sets the Kafka consumer property {@code key}, for error messages. */
    public String propertyFor(String key) {
        return secrets.property(key).orElse(CONSUMER_PREFIX + key);
    }
}
