package io.sluice.checkpoint;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The next offset to process per topic partition, as last committed by a leader. Immutable: {@link #advance}
 * returns a new instance.
 */
public final class CommittedOffsets implements Serializable {
    private static final CommittedOffsets EMPTY = new CommittedOffsets(new TreeMap<>());
    private final TreeMap<TopicPartitionKey, Long> next;

    private CommittedOffsets(TreeMap<TopicPartitionKey, Long> next) {
        this.next = next;
    }

    public static CommittedOffsets empty() {
        return EMPTY;
    }

    public static CommittedOffsets of(Map<TopicPartitionKey, Long> offsets) {
        return new CommittedOffsets(new TreeMap<>(offsets));
    }

    /** The next offset to process for {@code key}, empty when nothing was ever committed for it. */
    public OptionalLong next(TopicPartitionKey key) {
        Long offset = next.get(key);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    public Map<TopicPartitionKey, Long> asMap() {
        return Collections.unmodifiableMap(next);
    }

    public boolean isEmpty() {
        return next.isEmpty();
    }

    /** A copy where every range's partition has advanced to the range's end; offsets never move backwards. */
    public CommittedOffsets advance(Iterable<SourceRange> ranges) {
        TreeMap<TopicPartitionKey, Long> copy = new TreeMap<>(next);
        for (SourceRange range : ranges) {
            copy.merge(range.key(), range.until(), Math::max);
        }
        return new CommittedOffsets(copy);
    }

    /** Sum over partitions of {@code end - committed}, for the partitions present in {@code endOffsets}. */
    public long lag(Map<TopicPartitionKey, Long> endOffsets) {
        long lag = 0;
        for (Map.Entry<TopicPartitionKey, Long> end : endOffsets.entrySet()) {
            lag += Math.max(0, end.getValue() - next.getOrDefault(end.getKey(), 0L));
        }
        return lag;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommittedOffsets other && next.equals(other.next);
    }

    @Override
    public int hashCode() {
        return next.hashCode();
    }

    @Override
    public String toString() {
        return next.toString();
    }
}
