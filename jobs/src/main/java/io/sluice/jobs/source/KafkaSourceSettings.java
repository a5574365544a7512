package io.sluice.jobs.source;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The Kafka topics Sluice reads and how it connects to them.
 *
 * @param partitionDiscoveryMs how often the driver looks for partitions added to the topics; 0: only at start
 */
public record KafkaSourceSettings(
        String bootstrapServers,
        List<String> topics,
        String groupId,
        String resetPolicy,
        Map<String, String> consumerProperties,
        long partitionDiscoveryMs)
        implements Serializable {
    /** The default of {@link #partitionDiscoveryMs}. */
    public static final long DEFAULT_PARTITION_DISCOVERY_MS = 30_000;

    public KafkaSourceSettings(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            String resetPolicy,
            Map<String, String> consumerProperties) {
        this(bootstrapServers, topics, groupId, resetPolicy, consumerProperties, DEFAULT_PARTITION_DISCOVERY_MS);
    }

    public KafkaSourceSettings {
        if (partitionDiscoveryMs < 0) {
            throw new IllegalArgumentException(
                    "partition discovery interval must be >= 0 ms, got " + partitionDiscoveryMs);
        }
        topics = List.copyOf(topics);
        consumerProperties = Map.copyOf(consumerProperties);
    }
}
