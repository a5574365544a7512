package io.sluice.jobs.results;

import io.sluice.checkpoint.TopicPartitionKey;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * What one task's share of a batch adds to the results: sent from the task to the driver, which merges it into the
 * open windows. One entry per counted cell, experiment bucket and slide bucket touched, not per event; the visitors
 * are one entry per distinct user of each count row, the price of exact unique visitors.
 *
 * @param clockAfter the partition's clock after the range
 * @param counts events per count cell
 * @param visitors with exact visitor counting, the users of each count row (events without a user id count none)
 * @param visitorSketches with HyperLogLog counting, the sketch of each count row's users (compact HLL_4 bytes)
 * @param revisions the late events counted per count row (included in {@code counts}): each revises its window
 * @param revisedBuckets the slide buckets of the late events counted: the top rows over them are revised
 * @param traffic events per slide bucket and experiment
 * @param firstOffsets the first on-time event of each slide bucket touched
 * @param late how many events of the range were late (behind the partition's watermark), revised or too late
 * @param future how many events of the range were too far ahead of their arrival
 */
public record PartitionResults(
        TopicPartitionKey partition,
        long clockAfter,
        Map<CountCell, Long> counts,
        Map<VariationWindow, Set<String>> visitors,
        Map<VariationWindow, byte[]> visitorSketches,
        Map<VariationWindow, Long> revisions,
        Set<Long> revisedBuckets,
        Map<Long, Map<ExperimentKey, Long>> traffic,
        Map<Long, BucketStart> firstOffsets,
        long late,
        long future)
        implements Serializable {
    public PartitionResults {
        counts = Map.copyOf(counts);
        visitors = Map.copyOf(visitors);
        visitorSketches = Map.copyOf(visitorSketches);
        revisions = Map.copyOf(revisions);
        revisedBuckets = Set.copyOf(revisedBuckets);
        traffic = Map.copyOf(traffic);
        firstOffsets = Map.copyOf(firstOffsets);
    }

    /**
     * A summary, not the maps: Spark's status listener turns every task's accumulator value into a string for the UI,
     * and printing every cell cost about a tenth of the pipeline's CPU (JFR, bench/results).
     */
    @Override
    public String toString() {
        return "PartitionResults[" + partition + ", " + counts.size() + " count cells, " + visitors.size()
                + " visitor rows, " + traffic.size() + " slide buckets, late " + late + ", future " + future + "]";
    }
}
