package io.sluice.checkpoint;

/**
 * Where the leader records, per topic partition, the next offset to process. The record of truth for Kafka
 * positions: Spark's checkpoint only accelerates a restart.
 */
public interface OffsetStore {
    /** The offsets last committed; empty when nothing was committed yet. Retries transient failures. */
    CommittedOffsets load();

    /**
     * Records {@code offsets} atomically, on condition that {@code epoch} is still the newest.
     *
     * @throws FencedException when a newer leader took over; nothing was written
     * @throws IllegalStateException when the store cannot be reached in time; nothing is known to be written and the
     *     caller must treat the batch as not committed
     */
    void commit(Epoch epoch, CommittedOffsets offsets);
}
