package io.sluice.driver.runtime;

import io.sluice.jobs.pipeline.BatchCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    private final Map<String, Long> deadLettersByReason = new TreeMap<>(); // guarded by itself
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong future = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Map<String, Map<String, Long>> jobs = new TreeMap<>(); // guarded by itself
    private final AtomicLong lastCommitMillis = new AtomicLong();
    private final AtomicLong lastProcessingDelayMs = new AtomicLong(-1);
    private final AtomicLong lastBatchCompletedMillis = new AtomicLong();
    private final AtomicLong lastSchedulingDelayMs = new AtomicLong(-1);
    private final List<long[]> delays = new ArrayList<>(); // processing, scheduling; the newest MAX_DELAYS batches
    private final List<long[]> phases = new ArrayList<>(); // tasks, driver; the newest MAX_DELAYS written batches
    private static final int MAX_DELAYS = 10_000;

    /**
     * Adds a committed batch: the pipeline's counts, and each job's counters, from its tasks ({@code
     * BatchCounters#jobs}) and its driver side ({@code driverCounts}).
     */
    void batchCommitted(BatchCounters batch, Map<String, Map<String, Long>> driverCounts, long now) {
        batches.incrementAndGet();
        records.addAndGet(batch.records().sum());
        valid.addAndGet(batch.valid().sum());
        deadLetters.addAndGet(batch.deadLetters().sum());
        synchronized (deadLettersByReason) {
            batch.deadLetterReasons().value().forEach((reason, n) -> deadLettersByReason.merge(reason, n, Long::sum));
        }
        late.addAndGet(batch.late().sum());
        future.addAndGet(batch.future().sum());
        duplicates.addAndGet(batch.duplicates().sum());
        synchronized (jobs) {
            batch.jobs().value().forEach((key, n) -> {
                int colon = key.indexOf(':');
                add(key.substring(0, colon), key.substring(colon + 1), n);
            });
            driverCounts.forEach((job, counts) -> counts.forEach((name, n) -> add(job, name, n)));
        }
        lastCommitMillis.set(now);
    }

    private final Map<String, java.util.function.Supplier<Map<String, Long>>> gauges =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Registers a job's gauges ({@code DriverOutput#gauges}), read at each snapshot. */
    void gauges(String job, java.util.function.Supplier<Map<String, Long>> supplier) {
        gauges.put(job, supplier);
    }

    /** Declares the run's jobs, so that each shows on /metrics before its first batch. */
    void jobs(List<String> names) {
        synchronized (jobs) {
            names.forEach(name -> jobs.computeIfAbsent(name, n -> new TreeMap<>()));
        }
    }

    private void add(String job, String counter, long n) {
        jobs.computeIfAbsent(job, j -> new TreeMap<>()).merge(counter, n, Long::sum);
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
            append(delays, new long[] {
                (Long) info.processingDelay().get(),
                (Long) info.schedulingDelay().get()
            });
        }
    }

    /**
     * Records how a written batch's time split: its tasks (the Spark job that writes every partition) and then the
     * driver's serial part (the jobs' driver sides, the ZooKeeper commit, the publication), while executors wait.
     */
    void batchPhases(long tasksMs, long driverMs) {
        append(phases, new long[] {tasksMs, driverMs});
    }

    /** Tasks and driver milliseconds of each written batch ({@link #batchPhases}), oldest first (the newest 10,000). */
    public List<long[]> batchPhases() {
        return copy(phases);
    }

    /** Adds {@code entry} to {@code batches} (guarded by itself), keeping the newest {@link #MAX_DELAYS}. */
    private static void append(List<long[]> batches, long[] entry) {
        synchronized (batches) {
            if (batches.size() == MAX_DELAYS) {
                batches.remove(0);
            }
            batches.add(entry);
        }
    }

    private static List<long[]> copy(List<long[]> batches) {
        synchronized (batches) {
            return batches.stream().map(long[]::clone).toList();
        }
    }

    /** Processing and scheduling delay (ms) of each completed batch, oldest first (the newest 10,000). */
    public List<long[]> batchDelays() {
        return copy(delays);
    }

    /** When Spark last completed a batch (epoch ms; 0: none yet), committed or empty. */
    public long lastBatchCompletedMillis() {
        return lastBatchCompletedMillis.get();
    }

    /** Records of the committed batches (every copy, dead letters included), without reading any job's gauges. */
    public long records() {
        return records.get();
    }

    /** A consistent-enough copy of the totals for display. */
    public Snapshot snapshot() {
        Map<String, Map<String, Long>> perJob = new TreeMap<>();
        synchronized (jobs) {
            jobs.forEach((job, counts) -> perJob.put(job, Map.copyOf(counts)));
        }
        Map<String, Map<String, Long>> perJobGauges = new TreeMap<>();
        gauges.forEach((job, supplier) -> perJobGauges.put(job, Map.copyOf(supplier.get())));
        Map<String, Long> byReason;
        synchronized (deadLettersByReason) {
            byReason = Map.copyOf(deadLettersByReason);
        }
        return new Snapshot(
                batches.get(),
                records.get(),
                valid.get(),
                deadLetters.get(),
                counter(perJob, "archive", "files"),
                counter(perJob, "event-store", "cells"),
                late.get(),
                future.get(),
                duplicates.get(),
                counter(perJob, "results", "rows"),
                lastCommitMillis.get(),
                lastProcessingDelayMs.get(),
                lastSchedulingDelayMs.get(),
                perJob,
                perJobGauges,
                byReason);
    }

    private static long counter(Map<String, Map<String, Long>> jobs, String job, String name) {
        return jobs.getOrDefault(job, Map.of()).getOrDefault(name, 0L);
    }

    /**
     * Totals since the driver started. {@code deadLetters} includes the {@code late} and {@code future} events;
     * {@code duplicates} are copies of an {@code event_id} another position owns, dropped; {@code resultRows} are rows
     * written to the results table; these three are the built-in jobs' counters, which {@code jobs} holds with every
     * other job's (job name to counter name to total); {@code gauges} are the jobs' gauges now; {@code
     * deadLettersByReason} splits {@code deadLetters} by {@link io.sluice.api.event.DeadLetterReason#code} (the reasons
     * seen so far; its values sum to {@code deadLetters}). Delays are -1 before the first completed batch.
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
            long schedulingDelayMs,
            Map<String, Map<String, Long>> jobs,
            Map<String, Map<String, Long>> gauges,
            Map<String, Long> deadLettersByReason) {
        public Snapshot {
            jobs = Map.copyOf(jobs);
            gauges = Map.copyOf(gauges);
            deadLettersByReason = Map.copyOf(deadLettersByReason);
        }
    }
}
