package io.sluice.checkpoint;

/**
 * Thrown when a batch starts past the committed position of a partition: an earlier batch did not commit, so writing
 * this one would leave a hole. Fatal for the batch; the driver restarts and re-reads from the committed offsets.
 */
public final class OffsetGapException extends IllegalStateException {
    public OffsetGapException(SourceRange range, long committed) {
        super("batch range " + range + " starts after the committed offset " + committed + " of " + range.key()
                + ": an earlier batch did not commit; restart to resume from " + committed);
    }
}
