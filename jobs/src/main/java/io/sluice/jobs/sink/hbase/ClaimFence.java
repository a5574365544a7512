package io.sluice.jobs.sink.hbase;

import java.io.Serializable;
import java.util.Map;

/**
 * Which claims a driver may take over ({@link EventClaims}): those of an older epoch at a position that was not
 * committed when this driver's epoch began. Such a claim belongs to a batch that can never commit (a deposed leader's,
 * fenced in ZooKeeper), so the event it holds would otherwise be dropped as a copy and written by nobody. Push
 * ingestion needs this: a deposed leader and its successor give the same WAL block different positions (their batch
 * times), so whichever claims first owns the events. Claims of older epochs at committed positions, and claims
 * without an epoch (written before claims carried one), are never taken over.
 *
 * @param epoch this driver's epoch; 0: take nothing over
 * @param committedNext per claim position prefix ({@code <topic>+<partition>}), the first offset not committed when
 *     the epoch began
 * @param otherwise the same for prefixes not in {@code committedNext}
 */
public record ClaimFence(long epoch, Map<String, Long> committedNext, long otherwise) implements Serializable {
    /** Takes nothing over. */
    public static final ClaimFence NONE = new ClaimFence(0, Map.of(), Long.MAX_VALUE);

    public ClaimFence {
        committedNext = Map.copyOf(committedNext);
    }

    /** Whether a claim of {@code ownerEpoch} at {@code prefix} and {@code offset} was never committed and is void. */
    boolean voids(long ownerEpoch, String prefix, long offset) {
        return ownerEpoch > 0 && ownerEpoch < epoch && offset >= committedNext.getOrDefault(prefix, otherwise);
    }
}
