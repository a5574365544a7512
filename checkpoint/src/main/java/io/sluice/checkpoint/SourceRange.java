package io.sluice.checkpoint;

import java.io.Serializable;

/**
 * The offsets {@code [from, until)} of one topic partition in one batch: Sluice's copy of Spark's
 * {@code OffsetRange}, so that the commit protocol does not depend on Spark.
 */
public record SourceRange(TopicPartitionKey key, long from, long until) implements Serializable {
    public SourceRange {
        if (from < 0 || until < from) {
            throw new IllegalArgumentException("invalid offset range [" + from + ", " + until + ") for " + key);
        }
    }

    public static SourceRange of(String topic, int partition, long from, long until) {
        return new SourceRange(new TopicPartitionKey(topic, partition), from, until);
    }

    public boolean isEmpty() {
        return from == until;
    }

    @Override
    public String toString() {
        return key + "[" + from + "," + until + ")";
    }
}
