package io.sluice.api;

import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.TopicPartitionKey;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Reads again what a source committed, parsed and deduplicated as the stream did: Kafka from the topic, push ingestion
 * from the primary archive root. Nothing is written.
 */
public interface SourceReplay {
    /**
     * False when the records of one batch of a partition have no order among them (push ingestion's blocks): a job
     * judging events in order must then judge a batch's events against the state at the batch's start.
     */
    boolean ordered();

    /**
     * Folds, for every partition in {@code from}, its committed batches from its replay position up to its committed
     * position in {@code committed}, in order; one result per partition that had anything to replay. The fold may run
     * in a Spark task.
     */
    <T extends Serializable> List<T> replay(
            Map<TopicPartitionKey, ReplayPosition> from, CommittedOffsets committed, Fold<T> fold) throws IOException;

    /**
     * Whether the source still reads {@code partition}: a partition of a topic removed from the configuration has
     * committed positions but no future, and must not hold a job's state back.
     */
    default boolean reads(TopicPartitionKey partition) {
        return true;
    }

    /** What a job computes from one partition's replayed batches. */
    @FunctionalInterface
    interface Fold<T> extends Serializable {
        T fold(ReplayPosition from, List<PartitionBatch> batches);
    }
}
