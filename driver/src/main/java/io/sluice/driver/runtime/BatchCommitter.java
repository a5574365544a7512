package io.sluice.driver.runtime;

import io.sluice.api.BatchResult;
import io.sluice.api.DriverOutput;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.OffsetStore;
import io.sluice.checkpoint.TopicPartitionKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The driver side of the commit protocol (docs/commit-protocol.md), for a batch whose tasks all succeeded: every job's
 * driver side writes what it writes and adds its replay positions, then one ZooKeeper transaction, fenced by the
 * epoch, commits the batch's positions with the stage and the settings' fingerprint; then every job publishes. A
 * failure anywhere marks the run failed: no later batch of it commits, so the driver restarts and recovers from what
 * ZooKeeper holds.
 */
final class BatchCommitter {
    private final OffsetStore offsetStore;
    private final Epoch epoch;
    private final List<JobDriver> drivers;
    private final Map<String, String> fingerprint;
    private final AtomicReference<CommittedOffsets> committed;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** A job's driver side, with the job's name. */
    record JobDriver(String job, DriverOutput output) {}

    /** What a commit did: the positions committed, and what each job's driver side counted. */
    record Committed(CommittedOffsets offsets, Map<String, Map<String, Long>> counts) {}

    /**
     * @param committed what ZooKeeper held when this run began
     * @param fingerprint the settings the replay positions depend on ({@code ReplayFingerprint}), committed with each
     *     batch
     */
    BatchCommitter(
            OffsetStore offsetStore,
            Epoch epoch,
            CommittedOffsets committed,
            List<JobDriver> drivers,
            Map<String, String> fingerprint) {
        this.offsetStore = offsetStore;
        this.epoch = epoch;
        this.drivers = List.copyOf(drivers);
        this.fingerprint = Map.copyOf(fingerprint);
        this.committed = new AtomicReference<>(committed);
    }

    Epoch epoch() {
        return epoch;
    }

    /** What this run committed last (or found committed at start). */
    CommittedOffsets committed() {
        return committed.get();
    }

    /**
     * Commits a batch whose tasks all succeeded.
     *
     * @param next the positions after the batch, before the jobs add theirs
     * @param sources every source partition of the stream, written this batch or not
     * @param reports what the tasks reported, by job
     */
    Committed commit(
            long time,
            String stage,
            List<TopicPartitionKey> sources,
            Function<String, List<Object>> reports,
            CommittedOffsets next)
            throws Exception {
        requireHealthy();
        try {
            Map<String, BatchResult> results = new LinkedHashMap<>();
            for (JobDriver driver : drivers) {
                BatchResult result = new BatchResult(time, stage, sources, reports.apply(driver.job()), epoch);
                results.put(driver.job(), result);
                next = driver.output().beforeCommit(result, next);
            }
            next = next.withStage(stage).withSettings(fingerprint);
            offsetStore.commit(epoch, next);
            committed.set(next);
            CommitFault.afterCommit(next);
            for (JobDriver driver : drivers) {
                driver.output().afterCommit(results.get(driver.job()), next);
            }
            Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
            results.forEach((job, result) -> counts.put(job, result.counts()));
            return new Committed(next, counts);
        } catch (Throwable t) {
            failed(t);
            throw t;
        }
    }

    /**
     * Commits {@code next} without writing anything (push ingestion's batch without a block, or one committed
     * already), fenced like every commit: a deposed leader's batch must fail, never complete.
     */
    void commitPosition(CommittedOffsets next) throws Exception {
        requireHealthy();
        try {
            offsetStore.commit(epoch, next);
            committed.set(next);
        } catch (Throwable t) {
            failed(t);
            throw t;
        }
    }

    /**
     * Records that a batch failed part-way: after a job's driver side had taken it in (its state is then ahead of the
     * committed positions), or after its commit but before its publication. Every later batch of this run must fail
     * too: the driver restarts, and every job recovers.
     */
    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    /** Throws when an earlier batch of this run failed part-way. */
    void requireHealthy() {
        Throwable cause = failure.get();
        if (cause != null) {
            throw new IllegalStateException(
                    "an earlier batch failed part-way; the driver must restart so that every job recovers from the"
                            + " committed positions: " + cause,
                    cause);
        }
    }

    /** At stop: every job finishes what the last commit may have left (the archive publishes a committed stage). */
    void stop() {
        CommittedOffsets last = committed();
        drivers.forEach(d -> d.output().stop(last));
    }
}
