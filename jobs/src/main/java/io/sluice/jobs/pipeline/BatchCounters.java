package io.sluice.jobs.pipeline;

import io.sluice.jobs.results.PartitionResults;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * What one batch wrote, counted by its tasks. Created afresh on the driver for every batch (accumulators cannot be
 * recovered from a checkpoint), read on the driver once the batch's outputs are done.
 */
public record BatchCounters(
        LongAccumulator records,
        LongAccumulator valid,
        LongAccumulator deadLetters,
        LongAccumulator archiveFiles,
        LongAccumulator hbaseCells,
        LongAccumulator late,
        LongAccumulator future,
        LongAccumulator duplicates,
        CollectionAccumulator<PartitionResults> results)
        implements Serializable {

    public static BatchCounters register(SparkContext sc) {
        return new BatchCounters(
                sc.longAccumulator("records"),
                sc.longAccumulator("valid"),
                sc.longAccumulator("dead-letters"),
                sc.longAccumulator("archive-files"),
                sc.longAccumulator("hbase-cells"),
                sc.longAccumulator("late"),
                sc.longAccumulator("future"),
                sc.longAccumulator("duplicates"),
                sc.collectionAccumulator("results"));
    }

    @Override
    public String toString() {
        return "records=" + records.sum() + " valid=" + valid.sum() + " dead_letters=" + deadLetters.sum() + " late="
                + late.sum() + " future=" + future.sum() + " duplicates=" + duplicates.sum() + " archive_files="
                + archiveFiles.sum()
                + " hbase_cells=" + hbaseCells.sum();
    }
}
