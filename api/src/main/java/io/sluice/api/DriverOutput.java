package io.sluice.api;

import io.sluice.checkpoint.CommittedOffsets;

/**
 * The driver side of a job, called on the leading driver only, one batch at a time. A failure in any step stops the
 * run: the next run (this driver's, or a standby's) recovers from what ZooKeeper holds.
 */
public interface DriverOutput {
    /**
     * At start, before the first batch: makes the job's outputs agree with the committed position (roll back what an
     * uncommitted batch left, publish a committed stage, rebuild state from the replay positions).
     */
    default void recover(CommittedOffsets committed) throws Exception {}

    /**
     * After every task of the batch succeeded, before its commit: merge the tasks' reports, write what the driver
     * writes (fenced by {@link BatchResult#epoch()}), and return {@code next} with this job's replay positions added.
     * The returned offsets are committed in one fenced ZooKeeper transaction with every other job's.
     */
    default CommittedOffsets beforeCommit(BatchResult batch, CommittedOffsets next) throws Exception {
        return next;
    }

    /** After the batch committed: publish its stage. A failure stops the run; the next start publishes instead. */
    default void afterCommit(BatchResult batch, CommittedOffsets committed) throws Exception {}

    /** At stop, with the last position this driver committed: finish what {@link #afterCommit} may have left. */
    default void stop(CommittedOffsets last) {}

    /**
     * The job's gauges now (e.g. how far a replica is behind), shown on {@code /metrics} as {@code
     * sluice_job_<name>{job}}. Called from the metrics endpoint: must answer at once, never wait on a sink.
     */
    default java.util.Map<String, Long> gauges() {
        return java.util.Map.of();
    }
}
