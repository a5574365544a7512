package io.sluice.api.event;

/**
 * A valid event with the offset it was read at, its arrival time and its raw bytes (what the archive and event store
 * keep). The arrival is a replay-deterministic time the source gives the record: the Kafka record timestamp, or the
 * time a push receiver stamped on it; {@link #UNKNOWN_ARRIVAL} when the source has none. {@code late}: the results'
 * event-time stage found it behind its partition's watermark and counted it as a revision of its window; the archive
 * and the event store mark it so.
 */
public record PositionedEvent(long offset, Event event, byte[] raw, long arrival, boolean late) {
    /** No arrival time: the event's time is not bounded by one. */
    public static final long UNKNOWN_ARRIVAL = Long.MIN_VALUE;

    public PositionedEvent(long offset, Event event, byte[] raw, long arrival) {
        this(offset, event, raw, arrival, false);
    }

    public PositionedEvent(long offset, Event event, byte[] raw) {
        this(offset, event, raw, UNKNOWN_ARRIVAL);
    }

    /** The same event, marked late. */
    public PositionedEvent asLate() {
        return new PositionedEvent(offset, event, raw, arrival, true);
    }
}
