package io.sluice.jobs.results;

import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.pipeline.PartitionBatch;
import io.sluice.jobs.pipeline.PartitionWriter;
import io.sluice.jobs.pipeline.PositionedEvent;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Rebuilds push ingestion's open windows at start, where Kafka's replay is not available: the archive holds exactly
 * the committed on-time events of every batch (deduplicated, in files named after the batch), so reading the batches
 * from the replay position on and classifying each again against the clock its batch started with gives back the
 * counts, the top-experiment buckets and the clock of the commit. Each event's arrival is its block's, from the file
 * name ({@link ArchiveLayout#rangeName(io.sluice.checkpoint.SourceRange, long)}). Reads the first archive root in the
 * driver.
 */
public final class ArchiveResultsReplay {
    private ArchiveResultsReplay() {}

    /**
     * @param position the replay position committed for {@link PartitionWriter#RECEIVED_CLOCK}
     * @param committedNext the committed position of the source: batches before it are replayed
     */
    public static List<PartitionResults> replay(
            FileSystem fs,
            ArchiveLayout layout,
            ResultsSettings settings,
            ParserLimits limits,
            ReplayPosition position,
            long committedNext)
            throws IOException {
        long fromBatch =
                Math.floorDiv(position.from(), PartitionWriter.RECORDS_PER_BLOCK) * PartitionWriter.RECORDS_PER_BLOCK;
        TreeMap<Long, List<ArchivedBlock>> batches = new TreeMap<>();
        if (fs.exists(layout.eventsRoot())) {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(layout.eventsRoot(), true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                ArchiveLayout.parseRangeName(file.getName())
                        .filter(r -> r.key().topic().equals(PartitionWriter.RECEIVED))
                        .filter(r -> r.from() >= fromBatch && r.from() < committedNext)
                        .ifPresent(r -> batches.computeIfAbsent(r.from(), b -> new ArrayList<>())
                                .add(new ArchivedBlock(file, r.arrival())));
            }
        }
        EventParser parser = new EventParser(limits);
        List<PartitionResults> replayed = new ArrayList<>();
        long clock = position.clockAtFrom();
        for (Map.Entry<Long, List<ArchivedBlock>> batch : batches.entrySet()) {
            long base = batch.getKey();
            List<PositionedEvent> events = new ArrayList<>();
            for (ArchivedBlock block : batch.getValue()) {
                // the block's arrival from its name; a block stored before receivers stamped them: the batch time
                long arrival = block.arrival() == ArchiveLayout.NO_ARRIVAL
                        ? base / PartitionWriter.RECORDS_PER_BLOCK
                        : block.arrival();
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(fs.open(block.file()), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        byte[] raw = line.getBytes(StandardCharsets.UTF_8);
                        if (parser.parse(raw) instanceof ParseOutcome.Valid v) {
                            events.add(new PositionedEvent(base, v.event(), raw, arrival));
                        }
                    }
                }
            }
            SourceRange range = SourceRange.of(
                    PartitionWriter.RECEIVED_CLOCK.topic(),
                    PartitionWriter.RECEIVED_CLOCK.partition(),
                    base,
                    base + PartitionWriter.RECORDS_PER_BLOCK);
            PartitionResults results = ResultsAggregator.classifyAtBatchClock(
                            settings, new PartitionBatch(range, events, List.of()), clock)
                    .results();
            replayed.add(results);
            clock = results.clockAfter();
        }
        return replayed;
    }

    private record ArchivedBlock(Path file, long arrival) {}
}
