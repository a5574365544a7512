package io.sluice.checkpoint;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Source positions of push-ingestion batches and their gap check, the push counterpart of {@link RangeAligner}. The
 * records of batch {@code T} are numbered from {@code T * recordsPerBlock}; the batch covers {@code [(T - I) *
 * recordsPerBlock + recordsPerBlock, T * recordsPerBlock + recordsPerBlock)}, {@code I} being the batch interval, so
 * the consecutive batches of one streaming context tile the positions without a hole, empty batches included. Every
 * batch commits its range (an empty one too), so a batch that did not commit leaves a gap that every later batch of
 * the context sees: {@link OffsetGapException}, never a silent skip.
 */
public final class ReceivedPositions {
    private ReceivedPositions() {}

    /** The range batch {@code batchTimeMs} of a context with interval {@code intervalMs} covers. */
    public static SourceRange ofBatch(TopicPartitionKey key, long batchTimeMs, long intervalMs, long recordsPerBlock) {
        if (intervalMs < 1 || batchTimeMs < intervalMs) {
            throw new IllegalArgumentException("batch time " + batchTimeMs + " with interval " + intervalMs);
        }
        long until = batchTimeMs * recordsPerBlock + recordsPerBlock;
        return new SourceRange(key, until - intervalMs * recordsPerBlock, until);
    }

    /**
     * What batch {@code range} must write and commit: empty when it is committed already; the range clipped to the
     * committed position when it straddles it; the range itself otherwise.
     *
     * @param firstOfContext the batch is the first of its streaming context (its previous batch time is the context's
     *     zero time): no earlier batch of the context exists, so a committed position before the range is where an
     *     earlier context stopped (a context started without a checkpoint cannot recover that context's blocks), and
     *     the range is extended back to it instead of being a gap
     * @throws OffsetGapException when the range starts past the committed position and is not the first of its
     *     context: an earlier batch of the context did not commit
     */
    public static Optional<SourceRange> align(CommittedOffsets committed, SourceRange range, boolean firstOfContext) {
        OptionalLong next = committed.next(range.key());
        SourceRange candidate = range;
        if (firstOfContext && next.isPresent() && next.getAsLong() < range.from()) {
            candidate = new SourceRange(range.key(), next.getAsLong(), range.until());
        }
        List<SourceRange> aligned = RangeAligner.align(committed, List.of(candidate));
        return aligned.isEmpty() ? Optional.empty() : Optional.of(aligned.get(0));
    }
}
