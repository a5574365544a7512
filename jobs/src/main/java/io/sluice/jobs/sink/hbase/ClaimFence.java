package io.sluice.jobs.sink.hbase;

import io.sluice.jobs.source.PushSource;
import java.io.Serializable;
import java.util.Map;

/**
 * Which claims a driver may take over ({@link EventClaims}): those of an older epoch at a position that was not
 * committed when this driver's epoch began. Such a claim belongs to a batch that can never commit (a deposed leader's,
 * fenced in ZooKeeper), so the event it holds would otherwise be dropped as a copy and written by nobody. Push
 * ingestion needs this: a deposed leader and its successor give the same WAL block different positions (their batch
 * times), so whichever claims first owns the events. Claims of older epochs at committed positions, claims without an
 * epoch (written before claims carried one), and the claims of push ingestion's catch-up ({@code
 * PushSource.ARCHIVED}) are never taken over.
 *
 * @param epoch this driver's epoch; 0: take nothing over
 * @param committedNext per claim position prefix ({@code <topic>+<partition>}), the first offset not committed when
 *     the epoch began
 * @param otherwise the same for prefixes not in {@code committedNext}
 * @param ownEpochToo whether claims of this very epoch are taken over too ({@link #uncommittedSince})
 * @param onlyTopic when not null, only claims at prefixes of this topic are taken over
 */
public record ClaimFence(
        long epoch, Map<String, Long> committedNext, long otherwise, boolean ownEpochToo, String onlyTopic)
        implements Serializable {
    /** Takes nothing over. */
    public static final ClaimFence NONE = new ClaimFence(0, Map.of(), Long.MAX_VALUE);

    public ClaimFence {
        committedNext = Map.copyOf(committedNext);
    }

    public ClaimFence(long epoch, Map<String, Long> committedNext, long otherwise) {
        this(epoch, committedNext, otherwise, false, null);
    }

    /**
     * The fence of push ingestion's catch-up from the archive: every claim at a position of {@code topic} from {@code
     * from} on, of this epoch or an older one, belongs to a batch whose event store never committed (the batch that
     * began its lag, claiming before the store's write failed), so the catch-up, which claims the same events at
     * positions of its own, takes them over. Its own claims, at positions of another topic, are never taken over.
     */
    public static ClaimFence uncommittedSince(long epoch, String topic, long from) {
        return new ClaimFence(epoch, Map.of(), from, true, topic);
    }

    /** Whether a claim of {@code ownerEpoch} at {@code prefix} and {@code offset} was never committed and is void. */
    boolean voids(long ownerEpoch, String prefix, long offset) {
        if (onlyTopic != null && !prefix.startsWith(onlyTopic + "+")) {
            return false;
        }
        if (prefix.startsWith(PushSource.ARCHIVED + "+")) {
            // a catch-up's claim: every later catch-up of its batch claims the same position and finds it its own,
            // and live batches claim again only once the catch-up is committed, so none is ever void
            return false;
        }
        boolean older = ownEpochToo ? ownerEpoch <= epoch : ownerEpoch < epoch;
        return ownerEpoch > 0 && older && offset >= committedNext.getOrDefault(prefix, otherwise);
    }
}
