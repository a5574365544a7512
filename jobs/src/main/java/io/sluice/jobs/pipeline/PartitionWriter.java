package io.sluice.jobs.pipeline;

import io.sluice.api.TaskContext;
import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.ReceivedBlock;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.eventstore.EventStoreJob;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.PartitionResults;
import io.sluice.jobs.results.ResultsAggregator;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchivedBatches;
import io.sluice.jobs.sink.hbase.ClaimFence;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.source.KafkaRangeReader;
import io.sluice.jobs.source.PushSource;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.client.Connection;

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
    private final List<JobTask> jobs;
    private final Set<String> lagging;

    /**
     * @param kafkaParams the stream's consumer parameters, to read each range in the task ({@link KafkaRangeReader});
     *     empty for push ingestion
     * @param clocks the event-time clock of each partition at its range's start (absent: the partition has not seen
     *     an event)
     * @param stage the archive stage of this batch ({@link ArchiveLayout#stageName}), published after the commit
     */
    public PartitionWriter(
            PipelineSettings settings,
            List<JobTask> jobs,
            Map<String, Object> kafkaParams,
            Map<TopicPartitionKey, Long> clocks,
            BatchCounters counters,
            String stage) {
        this(settings, jobs, kafkaParams, clocks, counters, stage, ClaimFence.NONE, Set.of());
    }

    /**
     * @param jobs the task sides of the run's jobs, in the order they write
     * @param fence the claims of deposed leaders this batch may take over ({@link ClaimFence})
     * @param lagging the jobs of {@code jobs} that lag, not written by this batch: without the event store, copies of
     *     an identity are not dropped (its claims are its own); without the results, no event is classified late or
     *     future (the clocks are its own)
     */
    public PartitionWriter(
            PipelineSettings settings,
            List<JobTask> jobs,
            Map<String, Object> kafkaParams,
            Map<TopicPartitionKey, Long> clocks,
            BatchCounters counters,
            String stage,
            ClaimFence fence,
            Set<String> lagging) {
        this.settings = settings;
        this.kafkaParams = new HashMap<>(kafkaParams);
        this.clocks = Map.copyOf(clocks);
        this.counters = counters;
        this.stage = stage;
        this.fence = fence;
        this.jobs = List.copyOf(jobs);
        this.lagging = Set.copyOf(lagging);
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
        PartitionBatch batch = KafkaRangeReader.parse(kafkaParams, range, settings.parser());
        Set<String> skipped = new HashSet<>(lagging);
        if (claimsIdentities()) {
            batch = keepFirstCopies(
                    batch, hbase, EventClaims.position(batch.range().key()), skipped);
        }
        PartitionResults results = null;
        if (classifies()) {
            ResultsAggregator.Classified classified = ResultsAggregator.classify(
                    settings.results(), batch, clocks.getOrDefault(range.key(), EventClock.NO_TIME));
            batch = classified.batch();
            results = classified.results();
            countClassified(results);
        }
        writeOutputs(batch, hbase, TaskContext.NO_ARRIVAL, results, skipped);
    }

    /**
     * Whether copies of an identity are dropped: with the event store's claims (when it does not lag), for events that
     * carry an identity.
     */
    private boolean claimsIdentities() {
        return settings.hbase().enabled()
                && settings.parser().schema().hasIdField()
                && !lagging.contains(EventStoreJob.NAME);
    }

    /** Whether the results' event-time stage classifies the events: with the results job, when it does not lag. */
    private boolean classifies() {
        return settings.results().enabled() && !lagging.contains(ResultsJob.NAME);
    }

    /**
     * The batch without the valid events whose {@code event_id} another Kafka position owns (a producer's retry, an
     * agent's resend): the first position to claim an identity keeps it, a replay of a position keeps its own
     * ({@link EventClaims}). Dead letters have no identity and are all kept. When the claims fail, the event store
     * lags (it is added to {@code skipped}) and the batch goes on unclaimed.
     */
    private PartitionBatch keepFirstCopies(PartitionBatch batch, Connection hbase, String position, Set<String> skipped)
            throws IOException {
        try {
            EventClaims.Outcome kept = EventClaims.keepFirst(hbase, settings.hbase(), batch, position, fence);
            counters.duplicates().add(kept.duplicates());
            return kept.batch();
        } catch (IOException e) {
            // the claims are the event store's: it lags, the others write the batch without them
            JobTask store = jobs.stream()
                    .filter(j -> j.job().equals(EventStoreJob.NAME) && j.mayLag())
                    .findFirst()
                    .orElseThrow(() -> e);
            counters.lagged().add(store.job() + ":" + e);
            skipped.add(store.job());
            return batch;
        }
    }

    private void countClassified(PartitionResults results) {
        counters.late().add(results.late());
        counters.future().add(results.future());
    }

    /**
     * Writes one partition (one receiver block) of a push-ingestion batch: its records are numbered in order at offsets
     * {@code batchTime * PushSource.RECORDS_PER_BLOCK + i}, so the archive file is {@code
     * http+<partition>+<batchTime * 10^6>+a<arrival>} and a replay of the batch rewrites it; copies of valid events
     * that another position owns already (a sender's retried request) are dropped ({@link EventClaims}), dead letters
     * are all kept (a retried request's dead letters twice); the rest go to the archive stage and the event store. A receiver acknowledges at most {@code PushSource.RECORDS_PER_BLOCK}
     * lines per request (sluice.http-source.max-lines), so a block never holds more.
     */
    public void writeReceived(Iterator<byte[]> block, Connection hbase, long batchTime, long clockBefore)
            throws IOException {
        int partition = org.apache.spark.TaskContext.get().partitionId();
        // arrival = the time the receiver stored the block, stamped into it before the acknowledgement: the same in
        // every run of the block, and carried by the archive's file names for the rebuild (ArchiveResultsReplay); a
        // block stored before receivers stamped them arrives at the batch time
        ReceivedBlock.Opened opened = ReceivedBlock.open(block);
        Iterator<byte[]> lines = opened.lines();
        long arrival = opened.arrival().orElse(batchTime);
        long nameArrival = opened.arrival().orElse(TaskContext.NO_ARRIVAL);
        long base = batchTime * PushSource.RECORDS_PER_BLOCK;
        SourceRange range = SourceRange.of(PushSource.NAME, partition, base, base + PushSource.RECORDS_PER_BLOCK);
        long[] next = {base};
        Iterator<Received> numbered = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public Received next() {
                if (next[0] == base + PushSource.RECORDS_PER_BLOCK) {
                    throw new IllegalStateException(
                            "a receiver block holds more than " + PushSource.RECORDS_PER_BLOCK + " records");
                }
                return new Received(next[0]++, lines.next());
            }
        };
        PartitionBatch batch =
                settings.parser().parseBatch(range, numbered, Received::offset, r -> arrival, Received::raw);
        writeBlock(batch, PushSource.NAME + "+" + partition, hbase, clockBefore, nameArrival);
    }

    /**
     * Writes push-ingestion blocks read again from the primary archive root ({@link ArchivedBatches}) for lagging
     * jobs' catch-up: numbered as every reading of the archive numbers them, claimed at positions of their own ({@code
     * http-archived+<block>+<offset>}, in this writer's fence the claims the batch that began the lag left), judged
     * against the source's clock at the batch's start, then written as a live block is.
     *
     * @param root the primary archive root
     */
    public void writeArchived(Iterator<ArchivedBatches.Block> blocks, Connection hbase, String root, long clockBefore)
            throws IOException {
        FileSystem fs = FileSystem.get(URI.create(root), ExecutorHadoop.configuration(settings.hadoopProperties()));
        while (blocks.hasNext()) {
            ArchivedBatches.Block block = blocks.next();
            writeBlock(
                    block.parse(fs, settings.parser()),
                    PushSource.ARCHIVED + "+" + block.partition(),
                    hbase,
                    clockBefore,
                    block.arrival());
        }
    }

    /**
     * The tail of a push-ingestion block: copies of identities other positions own dropped (claimed at {@code
     * position} and the records' offsets), events judged against the clock at the batch's start, every job written.
     */
    private void writeBlock(PartitionBatch batch, String position, Connection hbase, long clockBefore, long nameArrival)
            throws IOException {
        SourceRange range = batch.range();
        long base = range.from();
        Set<String> skipped = new HashSet<>(lagging);
        // dead letters are not claimed: equal bytes from two senders are two records (see EventClaims)
        if (claimsIdentities()) {
            batch = keepFirstCopies(batch, hbase, position, skipped);
        }
        PartitionResults results = null;
        if (classifies()) {
            // one clock for the whole source, the same for every block of the batch (blocks have no order)
            ResultsAggregator.Classified classified = ResultsAggregator.classifyAtBatchClock(
                    settings.results(),
                    new PartitionBatch(
                            SourceRange.of(
                                    PushSource.CLOCK.topic(),
                                    PushSource.CLOCK.partition(),
                                    base,
                                    base + PushSource.RECORDS_PER_BLOCK),
                            batch.valid(),
                            batch.deadLetters()),
                    clockBefore);
            batch = new PartitionBatch(
                    range, classified.batch().valid(), classified.batch().deadLetters());
            results = classified.results();
            countClassified(results);
        }
        writeOutputs(batch, hbase, nameArrival, results, skipped);
    }

    private record Received(long offset, byte[] raw) {}

    /**
     * Hands the batch to every job's task side ({@link JobWrites}); then reports the event-time stage's sums for the
     * results job, last: only a task whose every write succeeded reports.
     *
     * @param arrival the arrival of every record of {@code batch} (a receiver block's stamp), or none
     * @param skipped the jobs not to write: they lag
     */
    private void writeOutputs(
            PartitionBatch batch, Connection hbase, long arrival, PartitionResults results, Set<String> skipped)
            throws IOException {
        counters.records().add(batch.valid().size() + batch.deadLetters().size());
        counters.valid().add(batch.valid().size());
        counters.deadLetters().add(batch.deadLetters().size());
        Map<String, Long> reasons = new HashMap<>();
        batch.deadLetters().forEach(d -> reasons.merge(d.reason().code(), 1L, Long::sum));
        counters.deadLetterReasons().add(reasons);
        JobWrites.write(batch, jobs, skipped, job -> new Attempt(job.job(), arrival, hbase))
                .forEach((job, dead) -> {
                    if (dead > 0) {
                        counters.jobs().add(job + ":dead-letters", dead);
                    }
                });
        if (results != null && !skipped.contains(ResultsJob.NAME)) {
            counters.reports().add(new JobReport(ResultsJob.NAME, results));
        }
    }

    /** One attempt of a job's write in this task: its counts and reports are kept until it succeeded. */
    private final class Attempt implements JobWrites.Attempt {
        private final String job;
        private final long arrival;
        private final Connection hbase;
        private final Map<String, Long> counts = new HashMap<>();
        private final List<Serializable> reports = new java.util.ArrayList<>();

        Attempt(String job, long arrival, Connection hbase) {
            this.job = job;
            this.arrival = arrival;
            this.hbase = hbase;
        }

        @Override
        public String stage() {
            return stage;
        }

        @Override
        public long arrival() {
            return arrival;
        }

        @Override
        public Configuration hadoop() {
            return ExecutorHadoop.configuration(settings.hadoopProperties());
        }

        @Override
        public Connection hbase() {
            return hbase;
        }

        @Override
        public void count(String name, long n) {
            counts.merge(name, n, Long::sum);
        }

        @Override
        public void report(Serializable sum) {
            reports.add(sum);
        }

        @Override
        public void succeeded() {
            counts.forEach((name, n) -> counters.jobs().add(job + ":" + name, n));
            reports.forEach(sum -> counters.reports().add(new JobReport(job, sum)));
        }

        @Override
        public void lagged(IOException cause) {
            counters.lagged().add(job + ":" + cause);
        }
    }
}
