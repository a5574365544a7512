package io.sluice.jobs.sink.archive;

import io.sluice.api.SourceReplay;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.source.PushSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
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
 * Push ingestion's replay, where Kafka's is not available: the primary archive root holds exactly the committed valid
 * events of every batch (deduplicated, in files named after the batch), so reading the batches from the replay position
 * on gives them back, batch by batch. Each event's arrival is its block's, from the file name ({@link
 * ArchiveLayout#rangeName(SourceRange, long)}). Reads in the driver.
 */
public final class ArchiveReplay implements SourceReplay {
    private final FileSystem fs;
    private final ArchiveLayout layout;
    private final EventParser parser;

    public ArchiveReplay(FileSystem fs, ArchiveLayout layout, EventParser parser) {
        this.fs = fs;
        this.layout = layout;
        this.parser = parser;
    }

    /** The blocks of one batch have no order among them. */
    @Override
    public boolean ordered() {
        return false;
    }

    @Override
    public <T extends Serializable> List<T> replay(
            Map<TopicPartitionKey, ReplayPosition> from, CommittedOffsets committed, Fold<T> fold) throws IOException {
        ReplayPosition position = from.get(PushSource.CLOCK);
        if (position == null) {
            return List.of();
        }
        long committedNext = committed.next(PushSource.CLOCK).orElse(0);
        long fromBatch = Math.floorDiv(position.from(), PushSource.RECORDS_PER_BLOCK) * PushSource.RECORDS_PER_BLOCK;
        TreeMap<Long, List<ArchivedBlock>> batches = new TreeMap<>();
        if (fs.exists(layout.eventsRoot())) {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(layout.eventsRoot(), true);
            while (files.hasNext()) {
                Path file = files.next().getPath();
                ArchiveLayout.parseRangeName(file.getName())
                        .filter(r -> r.key().topic().equals(PushSource.NAME))
                        .filter(r -> r.from() >= fromBatch && r.from() < committedNext)
                        .ifPresent(r -> batches.computeIfAbsent(r.from(), b -> new ArrayList<>())
                                .add(new ArchivedBlock(file, r.arrival())));
            }
        }
        List<PartitionBatch> read = new ArrayList<>();
        for (Map.Entry<Long, List<ArchivedBlock>> batch : batches.entrySet()) {
            long base = batch.getKey();
            List<PositionedEvent> events = new ArrayList<>();
            for (ArchivedBlock block : batch.getValue()) {
                // the block's arrival from its name; a block stored before receivers stamped them: the batch time
                long arrival = block.arrival() == ArchiveLayout.NO_ARRIVAL
                        ? base / PushSource.RECORDS_PER_BLOCK
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
                    PushSource.CLOCK.topic(), PushSource.CLOCK.partition(), base, base + PushSource.RECORDS_PER_BLOCK);
            read.add(new PartitionBatch(range, events, List.of()));
        }
        return read.isEmpty() ? List.of() : List.of(fold.fold(position, read));
    }

    private record ArchivedBlock(Path file, long arrival) {}
}
