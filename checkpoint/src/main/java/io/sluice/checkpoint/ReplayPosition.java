package io.sluice.checkpoint;

import java.io.Serializable;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where the results jobs of one partition can be rebuilt from, recorded with every offset commit
 * (docs/commit-protocol.md, "Results"). Replaying the partition from {@code from} with the event-time clock set to
 * {@code clockAtFrom} classifies every event exactly as the first time and recomputes every window that was still
 * open at the commit.
 *
 * @param from the smallest offset of an event of this partition in a window that was open at the commit (the
 *     committed offset itself when there is none)
 * @param clockAtFrom the largest event time of this partition's on-time events before {@code from};
 *     {@link #NO_TIME} when there were none
 * @param clock the same at the committed offset: the partition's clock when the commit was made
 * @param floors where, between {@code from} and the committed offset, the driver raised the partition's clock
 *     (offset to clock; the clock is at least that from the event at that offset on): the partition had been idle, or
 *     joined, while the others' watermark moved on. A replay applies them as the first run did.
 */
public record ReplayPosition(long from, long clockAtFrom, long clock, SortedMap<Long, Long> floors)
        implements Serializable {
    /** The clock of a partition that has not seen an event yet. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** A position with no raised clock in its range. */
    public ReplayPosition(long from, long clockAtFrom, long clock) {
        this(from, clockAtFrom, clock, Collections.emptySortedMap());
    }

    public ReplayPosition {
        floors = Collections.unmodifiableSortedMap(new TreeMap<>(floors));
        if (!floors.isEmpty() && floors.firstKey() < from) {
            throw new IllegalArgumentException(
                    "clock floor at " + floors.firstKey() + " is before the replay offset " + from);
        }
        if (from < 0) {
            throw new IllegalArgumentException("replay offset must be >= 0, got " + from);
        }
        if (clockAtFrom != NO_TIME && clock != NO_TIME && clockAtFrom > clock) {
            throw new IllegalArgumentException("clock at the replay offset " + clockAtFrom + " is after " + clock);
        }
    }
}
