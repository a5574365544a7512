package io.sluice.jobs.archive;

import io.sluice.api.BatchResult;
import io.sluice.api.DriverOutput;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.jobs.sink.archive.ArchiveMaintenance;
import io.sluice.jobs.sink.archive.ArchiveRecovery;
import io.sluice.jobs.sink.archive.ArchiveReplicator;
import io.sluice.jobs.source.PushSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's driver side: at start, publishes the committed stage of the primary root, deletes uncommitted ones and
 * starts the replicas' copying; after each commit, publishes the batch's stage (the replicas copy its files); at stop,
 * publishes the last committed stage if it is still staged and gives the replicas a little time to catch up.
 */
final class ArchivePublisher implements DriverOutput {
    private static final Logger LOG = LoggerFactory.getLogger(ArchivePublisher.class);
    /** How long a stop waits for the replicas: a replica behind for longer catches up at the next start. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final ArchiveRecovery primary;
    private final List<ArchiveReplicator> replicas;
    private final ArchiveMaintenance maintenance;
    private final Horizons horizons;
    private final Epoch epoch;

    ArchivePublisher(
            ArchiveRecovery primary,
            List<ArchiveReplicator> replicas,
            ArchiveMaintenance maintenance,
            Horizons horizons,
            Epoch epoch) {
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        this.maintenance = maintenance;
        this.horizons = horizons;
        this.epoch = epoch;
    }

    /**
     * When hours are final and past retention, from a commit.
     *
     * @param latenessMs the results' allowed lateness plus their revise span: an event behind its partition's clock by
     *     more is a dead letter ({@code too_late}); within it, archived
     * @param retentionMs how long hours are kept; 0: for ever
     * @param compaction whether final hours are compacted
     */
    record Horizons(long latenessMs, long retentionMs, boolean compaction) {
        /**
         * Hours ending at or before the result get no more events: every partition's event-time clock, as committed,
         * is past them by the allowed lateness (a partition that joins starts at the watermark). Unknown ({@link
         * ArchiveMaintenance#NONE}) without the event-time stage (no results job: no clocks are committed), and while
         * a job lags behind push ingestion, whose catch-up reads its batches' files back by name.
         */
        long finalBefore(CommittedOffsets committed) {
            if (!compaction || committed.replay().isEmpty()) {
                return ArchiveMaintenance.NONE;
            }
            if (!committed.lagging().isEmpty() && committed.replay().containsKey(PushSource.CLOCK)) {
                return ArchiveMaintenance.NONE;
            }
            long min = Long.MAX_VALUE;
            for (ReplayPosition p : committed.replay().values()) {
                if (p.clock() != ReplayPosition.NO_TIME) {
                    min = Math.min(min, p.clock());
                }
            }
            return min == Long.MAX_VALUE ? ArchiveMaintenance.NONE : min - latenessMs;
        }

        long retainFrom(long now) {
            return retentionMs == 0 ? ArchiveMaintenance.NONE : now - retentionMs;
        }
    }

    @Override
    public synchronized void recover(CommittedOffsets committed) throws IOException {
        primary.recover(committed, epoch.number());
        replicas.forEach(ArchiveReplicator::start); // each first copies what it lacks, on its own thread
        maintenance.start(); // settles what a compaction left midway, then compacts what is final
        maintenance.advance(horizons.finalBefore(committed), ArchiveMaintenance.NONE);
    }

    /**
     * Published only after the commit: a batch that did not commit (a crash, a deposed leader) never shows a file. A
     * failure here stops the driver before the next commit replaces the record of this stage; the next driver
     * publishes it at start.
     */
    @Override
    public synchronized void afterCommit(BatchResult batch, CommittedOffsets committed) throws IOException {
        primary.publish(batch.stage(), epoch.number());
        maintenance.advance(horizons.finalBefore(committed), horizons.retainFrom(batch.time()));
    }

    /**
     * Deletes nothing, so it is harmless after a newer leader took over (the stage is committed either way). A failure
     * is logged: the next driver's start, or the demo's verifier, rolls the stage forward instead.
     */
    @Override
    public void stop(CommittedOffsets last) {
        try {
            int published;
            synchronized (this) { // not next to the last batch's own publication, still running
                published = primary.rollForward(last);
            }
            if (published > 0) {
                LOG.info("published {} files of the committed stage {} at stop", published, last.stage());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "could not publish the committed stage {} at stop (the next start will): {}",
                    last.stage(),
                    e.toString());
        }
        maintenance.close(); // a compaction midway is settled by the next start
        for (ArchiveReplicator replica : replicas) {
            try {
                if (!replica.drain(DRAIN)) {
                    LOG.warn(
                            "an archive replica is {} files behind at stop; the next start copies them",
                            replica.lagFiles());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                replica.close();
            }
        }
    }

    /**
     * {@code replica_lag_files}: files (and compacted hours) published in the primary that some replica lacks; {@code
     * compaction_pending_hours}: final hours not compacted yet; {@code compacted_hours}: hours compacted since the start.
     */
    @Override
    public Map<String, Long> gauges() {
        return Map.of(
                "replica_lag_files",
                replicas.stream().mapToLong(ArchiveReplicator::lagFiles).sum(),
                "compaction_pending_hours",
                maintenance.pendingHours(),
                "compacted_hours",
                maintenance.compactedHours());
    }
}
