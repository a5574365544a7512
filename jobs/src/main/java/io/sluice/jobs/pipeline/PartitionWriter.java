package io.sluice.jobs.pipeline;

import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveSink;
import io.sluice.jobs.sink.hbase.EventStoreSink;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.TaskContext;

/**
 * The task side of a batch: one Kafka partition's records are parsed once, then handed to every job: the archive
 * (valid events and dead letters, to every archive root) and the event store (HBase). Runs inside
 * {@code foreachPartition}; a failure is thrown so the batch fails and nothing is committed.
 */
public final class PartitionWriter implements Serializable {
    private final PipelineSettings settings;
    private final Map<Integer, SourceRange> rangeByPartition;
    private final BatchCounters counters;

    /**
     * @param rangeByPartition the aligned range of each RDD partition (the index of Spark's offset range); a
     *     partition without one was committed already and is skipped
     */
    public PartitionWriter(
            PipelineSettings settings, Map<Integer, SourceRange> rangeByPartition, BatchCounters counters) {
        this.settings = settings;
        this.rangeByPartition = Map.copyOf(rangeByPartition);
        this.counters = counters;
    }

    /** Writes this task's partition; {@code hbase} is null when the event store is off. */
    public void write(Iterator<ConsumerRecord<byte[], byte[]>> records, Connection hbase) throws IOException {
        SourceRange range = rangeByPartition.get(TaskContext.get().partitionId());
        if (range == null || range.isEmpty()) {
            return;
        }
        PartitionBatch batch = PartitionBatch.parse(
                range,
                records,
                ConsumerRecord::offset,
                ConsumerRecord::value,
                new EventParser(settings.parserLimits()));
        counters.records().add(batch.valid().size() + batch.deadLetters().size());
        counters.valid().add(batch.valid().size());
        counters.deadLetters().add(batch.deadLetters().size());
        for (String root : settings.archiveRoots()) {
            FileSystem fs = FileSystem.get(URI.create(root), ExecutorHadoop.configuration(settings.hadoopProperties()));
            counters.archiveFiles()
                    .add(new ArchiveSink(fs, new ArchiveLayout(root))
                            .write(batch)
                            .files());
        }
        if (hbase != null) {
            counters.hbaseCells().add(new EventStoreSink(hbase, settings.hbase()).write(batch));
        }
    }
}
