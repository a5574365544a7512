package io.sluice.checkpoint;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/** A Kafka topic partition, as a small value usable as a map key in Spark closures and in ZooKeeper. */
public record TopicPartitionKey(String topic, int partition) implements Serializable, Comparable<TopicPartitionKey> {
    private static final Comparator<TopicPartitionKey> ORDER =
            Comparator.comparing(TopicPartitionKey::topic).thenComparingInt(TopicPartitionKey::partition);

    public TopicPartitionKey {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        }
    }

    @Override
    public int compareTo(TopicPartitionKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
