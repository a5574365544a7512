package io.sluice.jobs.source;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** The Kafka topics Sluice reads and how it connects to them. */
public record KafkaSourceSettings(
        String bootstrapServers,
        List<String> topics,
        String groupId,
        String resetPolicy,
        Map<String, String> consumerProperties)
        implements Serializable {
    public KafkaSourceSettings {
        topics = List.copyOf(topics);
        consumerProperties = Map.copyOf(consumerProperties);
    }
}
