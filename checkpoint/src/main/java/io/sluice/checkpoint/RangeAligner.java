package io.sluice.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Aligns a batch's offset ranges with the committed position, the rule that keeps outputs exact when a restarted
 * Kafka stream cuts its batches differently from the run that crashed (see docs/commit-protocol.md):
 *
 * <ul>
 *   <li>a range that ends at or before the committed offset was written and committed already: it is skipped;
 *   <li>a range that straddles the committed offset is clipped to start at it, so every output named after a range's
 *       start continues the committed tiling;
 *   <li>a range that starts after the committed offset means an earlier batch did not commit: {@link
 *       OffsetGapException}.
 * </ul>
 *
 * Partitions never committed before are taken as they come.
 */
public final class RangeAligner {
    private RangeAligner() {}

    /** The ranges to write for this batch, in input order, without the skipped (fully committed) ones. */
    public static List<SourceRange> align(CommittedOffsets committed, List<SourceRange> ranges) {
        List<SourceRange> aligned = new ArrayList<>(ranges.size());
        for (SourceRange range : ranges) {
            OptionalLong next = committed.next(range.key());
            if (next.isEmpty()) {
                aligned.add(range);
                continue;
            }
            long c = next.getAsLong();
            if (range.from() > c) {
                throw new OffsetGapException(range, c);
            }
            if (range.until() <= c) {
                continue;
            }
            aligned.add(new SourceRange(range.key(), Math.max(range.from(), c), range.until()));
        }
        return aligned;
    }
}
