package io.sluice.jobs.pipeline;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * What one batch wrote, counted by its tasks: the pipeline's own counts (the dead letters also by reason, {@code
 * DeadLetterReason#code}), every job's counters ({@code job:name}) and what the tasks reported for the jobs' driver
 * sides, and the jobs whose sink failed in a task (they lag). Created afresh on the driver for every batch
 * (accumulators cannot be recovered from a checkpoint), read on the driver once the batch's tasks are done.
 */
public record BatchCounters(
        LongAccumulator records,
        LongAccumulator valid,
        LongAccumulator deadLetters,
        CountsAccumulator deadLetterReasons,
        LongAccumulator late,
        LongAccumulator future,
        LongAccumulator duplicates,
        CountsAccumulator jobs,
        CollectionAccumulator<JobReport> reports,
        CollectionAccumulator<String> lagged)
        implements Serializable {

    public static BatchCounters register(SparkContext sc) {
        CountsAccumulator jobs = new CountsAccumulator();
        sc.register(jobs, "jobs");
        CountsAccumulator reasons = new CountsAccumulator();
        sc.register(reasons, "dead-letter-reasons");
        return new BatchCounters(
                sc.longAccumulator("records"),
                sc.longAccumulator("valid"),
                sc.longAccumulator("dead-letters"),
                reasons,
                sc.longAccumulator("late"),
                sc.longAccumulator("future"),
                sc.longAccumulator("duplicates"),
                jobs,
                sc.collectionAccumulator("reports"),
                sc.collectionAccumulator("lagged"));
    }

    /** The jobs whose sink failed in some task of the batch, each with the first failure seen. */
    public Map<String, String> laggedJobs() {
        Map<String, String> jobs = new TreeMap<>();
        for (String entry : lagged.value()) {
            int colon = entry.indexOf(':');
            jobs.putIfAbsent(entry.substring(0, colon), entry.substring(colon + 1));
        }
        return jobs;
    }

    /** What the tasks reported for {@code job}. */
    public List<Object> reportsOf(String job) {
        return reports.value().stream()
                .filter(r -> r.job().equals(job))
                .map(r -> (Object) r.sum())
                .toList();
    }

    @Override
    public String toString() {
        return "records=" + records.sum() + " valid=" + valid.sum() + " dead_letters=" + deadLetters.sum() + " late="
                + late.sum() + " future=" + future.sum() + " duplicates=" + duplicates.sum() + " jobs=" + jobs.value();
    }
}
