package io.sluice.jobs.pipeline;

import io.sluice.checkpoint.ReceivedBlock;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.PartitionResults;
import io.sluice.jobs.results.ResultsAggregator;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveSink;
import io.sluice.jobs.sink.hbase.ClaimFence;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.EventStoreSink;
import io.sluice.jobs.source.KafkaRangeReader;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.spark.TaskContext;

/**
 * The task side of a batch: one Kafka partition's range is read ({@link KafkaRangeReader}) and its records parsed once,
 * copies of an event_id another position owns are dropped, late events are moved to the dead letters
 * and the rest summed for the results jobs, then everything is handed to every job: the archive (valid events and
 * dead letters, staged in every archive root), the event store (HBase) and, through an accumulator, the results. Runs inside
 * {@code foreachPartition}; a failure is thrown so the batch fails and nothing is committed.
 */
public final class PartitionWriter implements Serializable {
    private final PipelineSettings settings;
    private final HashMap<String, Object> kafkaParams;
    private final Map<TopicPartitionKey, Long> clocks;
    private final BatchCounters counters;
    private final String stage;
    private final ClaimFence fence;

    /**
     * @param kafkaParams the stream's consumer parameters, to read each range in the task ({@link KafkaRangeReader});
     *     empty for push ingestion
     * @param clocks the event-time clock of each partition at its range's start (absent: the partition has not seen
     *     an event)
     * @param stage the archive stage of this batch ({@link ArchiveLayout#stageName}), published after the commit
     */
    public PartitionWriter(
            PipelineSettings settings,
            Map<String, Object> kafkaParams,
            Map<TopicPartitionKey, Long> clocks,
            BatchCounters counters,
            String stage) {
        this(settings, kafkaParams, clocks, counters, stage, ClaimFence.NONE);
    }

    /** @param fence the claims of deposed leaders this batch may take over ({@link ClaimFence}) */
    public PartitionWriter(
            PipelineSettings settings,
            Map<String, Object> kafkaParams,
            Map<TopicPartitionKey, Long> clocks,
            BatchCounters counters,
            String stage,
            ClaimFence fence) {
        this.settings = settings;
        this.kafkaParams = new HashMap<>(kafkaParams);
        this.clocks = Map.copyOf(clocks);
        this.counters = counters;
        this.stage = stage;
        this.fence = fence;
    }

    /** Reads and writes every Kafka range of this task (one per task); {@code hbase} is null when the store is off. */
    public void write(Iterator<SourceRange> ranges, Connection hbase) throws IOException {
        while (ranges.hasNext()) {
            write(ranges.next(), hbase);
        }
    }

    private void write(SourceRange range, Connection hbase) throws IOException {
        if (range.isEmpty()) {
            return;
        }
        PartitionBatch batch = KafkaRangeReader.parse(kafkaParams, range, settings.parserLimits());
        if (hbase != null) {
            batch = keepFirstCopies(batch, hbase);
        }
        PartitionResults results = null;
        if (settings.results().enabled()) {
            ResultsAggregator.Classified classified = ResultsAggregator.classify(
                    settings.results(), batch, clocks.getOrDefault(range.key(), EventClock.NO_TIME));
            batch = classified.batch();
            results = classified.results();
            countClassified(results);
        }
        writeOutputs(batch, hbase, ArchiveLayout.NO_ARRIVAL);
        if (results != null) {
            counters.results().add(results); // last: only a task whose every write succeeded reports results
        }
    }

    /**
     * The batch without the valid events whose {@code event_id} another Kafka position owns (a producer's retry, an
     * agent's resend): the first position to claim an identity keeps it, a replay of a position keeps its own
     * ({@link EventClaims}). Dead letters have no identity and are all kept.
     */
    private PartitionBatch keepFirstCopies(PartitionBatch batch, Connection hbase) throws IOException {
        EventClaims.Outcome kept = EventClaims.keepFirst(
                hbase,
                settings.hbase(),
                batch,
                EventClaims.position(batch.range().key()),
                fence);
        counters.duplicates().add(kept.duplicates());
        return kept.batch();
    }

    private void countClassified(PartitionResults results) {
        counters.late().add(results.late());
        counters.future().add(results.future());
    }

    /** Records a receiver block may hold: its record {@code i} is at offset {@code batchTime * this + i}. */
    public static final long RECORDS_PER_BLOCK = 1_000_000;

    /** The source name of push-ingested records in archive file names and claims. */
    public static final String RECEIVED = "http";

    /**
     * Writes one partition (one receiver block) of a push-ingestion batch: its records are numbered in order at offsets
     * {@code batchTime * RECORDS_PER_BLOCK + i}, so the archive file is {@code
     * http+<partition>+<batchTime * 10^6>+a<arrival>} and a replay of the batch rewrites it; copies of valid events
     * that another position owns already (a sender's retried request) are dropped ({@link EventClaims}), dead letters
     * are all kept (a retried request's dead letters twice); the rest go to the archive stage and the event store. A receiver acknowledges at most {@code RECORDS_PER_BLOCK}
     * lines per request (sluice.http-source.max-lines), so a block never holds more.
     */
    public void writeReceived(Iterator<byte[]> block, Connection hbase, long batchTime, long clockBefore)
            throws IOException {
        int partition = TaskContext.get().partitionId();
        // arrival = the time the receiver stored the block, stamped into it before the acknowledgement: the same in
        // every run of the block, and carried by the archive's file names for the rebuild (ArchiveResultsReplay); a
        // block stored before receivers stamped them arrives at the batch time
        ReceivedBlock.Opened opened = ReceivedBlock.open(block);
        Iterator<byte[]> lines = opened.lines();
        long arrival = opened.arrival().orElse(batchTime);
        long nameArrival = opened.arrival().orElse(ArchiveLayout.NO_ARRIVAL);
        long base = batchTime * RECORDS_PER_BLOCK;
        SourceRange range = SourceRange.of(RECEIVED, partition, base, base + RECORDS_PER_BLOCK);
        long[] next = {base};
        Iterator<Received> numbered = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public Received next() {
                if (next[0] == base + RECORDS_PER_BLOCK) {
                    throw new IllegalStateException(
                            "a receiver block holds more than " + RECORDS_PER_BLOCK + " records");
                }
                return new Received(next[0]++, lines.next());
            }
        };
        PartitionBatch batch = PartitionBatch.parse(
                range,
                numbered,
                Received::offset,
                r -> arrival,
                Received::raw,
                new EventParser(settings.parserLimits()));
        // dead letters are not claimed: equal bytes from two senders are two records (see EventClaims)
        EventClaims.Outcome kept =
                EventClaims.keepFirst(hbase, settings.hbase(), batch, RECEIVED + "+" + partition, fence);
        counters.duplicates().add(kept.duplicates());
        batch = kept.batch();
        PartitionResults results = null;
        if (settings.results().enabled()) {
            // one clock for the whole source, the same for every block of the batch (blocks have no order)
            ResultsAggregator.Classified classified = ResultsAggregator.classifyAtBatchClock(
                    settings.results(),
                    new PartitionBatch(
                            SourceRange.of(
                                    RECEIVED_CLOCK.topic(), RECEIVED_CLOCK.partition(), base, base + RECORDS_PER_BLOCK),
                            batch.valid(),
                            batch.deadLetters()),
                    clockBefore);
            batch = new PartitionBatch(
                    range, classified.batch().valid(), classified.batch().deadLetters());
            results = classified.results();
            countClassified(results);
        }
        writeOutputs(batch, hbase, nameArrival);
        if (results != null) {
            counters.results().add(results); // last: only a task whose every write succeeded reports results
        }
    }

    /**
     * The one event-time clock of push ingestion (results jobs), and its entry in the committed offsets: the next
     * position to write, {@code batchTime * RECORDS_PER_BLOCK} of the next batch.
     */
    public static final TopicPartitionKey RECEIVED_CLOCK = new TopicPartitionKey("_http", 0);

    private record Received(long offset, byte[] raw) {}

    /** @param arrival the arrival of every record of {@code batch} for the archive's file names, or none */
    private void writeOutputs(PartitionBatch batch, Connection hbase, long arrival) throws IOException {
        counters.records().add(batch.valid().size() + batch.deadLetters().size());
        counters.valid().add(batch.valid().size());
        counters.deadLetters().add(batch.deadLetters().size());
        for (String root : settings.archiveRoots()) {
            FileSystem fs = FileSystem.get(URI.create(root), ExecutorHadoop.configuration(settings.hadoopProperties()));
            counters.archiveFiles()
                    .add(new ArchiveSink(fs, new ArchiveLayout(root))
                            .write(batch, stage, arrival)
                            .files());
        }
        if (hbase != null) {
            counters.hbaseCells().add(new EventStoreSink(hbase, settings.hbase()).write(batch));
        }
    }
}
