package io.sluice.api;

import io.sluice.api.event.PartitionBatch;
import java.io.IOException;
import java.io.Serializable;

/** The task side of a job: writes one source partition's share of a batch, inside Spark's {@code foreachPartition}. */
@FunctionalInterface
public interface TaskOutput extends Serializable {
    /**
     * Writes {@code batch} idempotently: a replay of the same range (after any failure, in this run or the next) must
     * leave the same files or cells, so write into {@link TaskContext#stage()} or key cells by the source position.
     * Throwing fails the batch: nothing of it is committed, and it is written again.
     */
    void write(PartitionBatch batch, TaskContext context) throws IOException;
}
