package io.sluice.bench;

import java.util.Map;

/**
 * One timed run of one contender over the whole pre-loaded workload.
 *
 * @param cores the cores the contender could use (Spark's {@code local[N]}, 1 for the single-threaded parse limit)
 * @param exact whether the outputs held exactly the workload's ground truth; null where outputs are not checked
 * @param check what was checked, or why the check failed
 * @param heapPeakMb the sum of the heap pools' peaks during the run (the whole benchmark JVM)
 * @param cost CPU seconds per process, the machine's utilisation, ramp and steady state ({@link RunMeter})
 * @param bytesPerEvent what each sink stored per event of the workload, one copy ({@code archive}: its files once
 *     compacted, {@code archive-landed}: as the batches wrote them, {@code archive-written}: both; {@code
 *     event-store}: the event table's store files after a flush); empty where not measured
 * @param archive the archive's files before and after compaction; null for the peers
 * @param batchPhasesMs Sluice's written batches split in two: {@code tasks-median} and {@code driver-median}, the
 *     medians of the Spark job writing every partition and of the driver's serial part after it (jobs' driver sides,
 *     ZooKeeper commit, publication) while executors wait, and {@code tasks-total} and {@code driver-total}, their
 *     sums over the run; empty for the peers
 */
public record RunFigures(
        String contender,
        int repetition,
        boolean warmUp,
        long events,
        double seconds,
        double eventsPerSecond,
        double eventsPerSecondPerCore,
        int cores,
        long batches,
        long processingDelayMedianMs,
        long processingDelayMaxMs,
        long schedulingDelayMaxMs,
        long heapPeakMb,
        long gcMs,
        Boolean exact,
        String check,
        RunMeter.Cost cost,
        Map<String, Double> bytesPerEvent,
        ArchiveFootprint archive,
        Map<String, Long> batchPhasesMs) {}
