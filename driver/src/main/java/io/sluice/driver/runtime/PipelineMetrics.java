package io.sluice.driver.runtime;

import io.sluice.jobs.pipeline.BatchCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

/**
 * The driver's running totals: what committed batches wrote, and the delays of the last completed batch. Updated on
 * the driver only (by the batch output after its commit, and by Spark's listener bus); read by the demo's progress
 * display and the health endpoints.
 */
public final class PipelineMetrics implements StreamingListener {
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong valid = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong archiveFiles = new AtomicLong();
    private final AtomicLong hbaseCells = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong future = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong resultRows = new AtomicLong();
    private final AtomicLong lastCommitMillis = new AtomicLong();
    private final AtomicLong lastProcessingDelayMs = new AtomicLong(-1);
    private final AtomicLong lastBatchCompletedMillis = new AtomicLong();
    private final AtomicLong lastSchedulingDelayMs = new AtomicLong(-1);
    private final List<long[]> delays = new ArrayList<>(); // processing, scheduling; the newest MAX_DELAYS batches
    private static final int MAX_DELAYS = 10_000;

    void batchCommitted(BatchCounters batch, long resultRows, long now) {
        batches.incrementAndGet();
        records.addAndGet(batch.records().sum());
        valid.addAndGet(batch.valid().sum());
        deadLetters.addAndGet(batch.deadLetters().sum());
        archiveFiles.addAndGet(batch.archiveFiles().sum());
        hbaseCells.addAndGet(batch.hbaseCells().sum());
        late.addAndGet(batch.late().sum());
        future.addAndGet(batch.future().sum());
        duplicates.addAndGet(batch.duplicates().sum());
        this.resultRows.addAndGet(resultRows);
        lastCommitMillis.set(now);
    }

    @Override
    public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        BatchInfo info = completed.batchInfo();
        lastBatchCompletedMillis.set(System.currentTimeMillis());
        if (info.processingDelay().isDefined()) {
            lastProcessingDelayMs.set((Long) info.processingDelay().get());
        }
        if (info.schedulingDelay().isDefined()) {
            lastSchedulingDelayMs.set((Long) info.schedulingDelay().get());
        }
        if (info.processingDelay().isDefined() && info.schedulingDelay().isDefined()) {
            synchronized (delays) {
                if (delays.size() == MAX_DELAYS) {
                    delays.remove(0);
                }
                delays.add(new long[] {
                    (Long) info.processingDelay().get(),
                    (Long) info.schedulingDelay().get()
                });
            }
        }
    }

    /** Processing and scheduling delay (ms) of each completed batch, oldest first (the newest 10,000). */
    public List<long[]> batchDelays() {
        synchronized (delays) {
            return delays.stream().map(long[]::clone).toList();
        }
    }

    /** When Spark last completed a batch (epoch ms; 0: none yet), committed or empty. */
    public long lastBatchCompletedMillis() {
        return lastBatchCompletedMillis.get();
    }

    /** A consistent-enough copy of the totals for display. */
    public Snapshot snapshot() {
        return new Snapshot(
                batches.get(),
                records.get(),
                valid.get(),
                deadLetters.get(),
                archiveFiles.get(),
                hbaseCells.get(),
                late.get(),
                future.get(),
                duplicates.get(),
                resultRows.get(),
                lastCommitMillis.get(),
                lastProcessingDelayMs.get(),
                lastSchedulingDelayMs.get());
    }

    /**
     * Totals since the driver started. {@code deadLetters} includes the {@code late} and {@code future} events;
     * {@code duplicates} are copies of an {@code event_id} another position owns, dropped; {@code resultRows} are rows
     * written to the results table. Delays are -1 before the first completed batch.
     */
    public record Snapshot(
            long batches,
            long records,
            long valid,
            long deadLetters,
            long archiveFiles,
            long hbaseCells,
            long late,
            long future,
            long duplicates,
            long resultRows,
            long lastCommitMillis,
            long processingDelayMs,
            long schedulingDelayMs) {}
}
