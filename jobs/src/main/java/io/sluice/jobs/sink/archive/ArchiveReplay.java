package io.sluice.jobs.sink.archive;

import io.sluice.api.SourceReplay;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ReplayPosition;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import io.sluice.jobs.source.PushSource;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/**
 * Push ingestion's replay, where Kafka's is not available: the primary archive root holds the committed valid events
 * of every batch, in files named after the batch ({@link ArchivedBatches}), so reading the batches from the replay
 * position on gives them back, batch by batch. Each event's arrival is its block's, from the file name ({@link
 * ArchiveLayout#rangeName(SourceRange, long)}). A batch written while the event store lagged holds every copy of an
 * identity (the claims are the store's): with the event store, only the copy whose position owns the identity is
 * replayed ({@link EventClaims#ownedInArchive}). Reads in the driver.
 */
public final class ArchiveReplay implements SourceReplay {
    private final FileSystem fs;
    private final ArchiveLayout layout;
    private final EventParser parser;
    private final HBaseSettings claims;

    public ArchiveReplay(FileSystem fs, ArchiveLayout layout, EventParser parser) {
        this(fs, layout, parser, null);
    }

    /** @param claims the event store's settings, to keep only the owned copy of an identity; null without it */
    public ArchiveReplay(FileSystem fs, ArchiveLayout layout, EventParser parser, HBaseSettings claims) {
        this.fs = fs;
        this.layout = layout;
        this.parser = parser;
        this.claims = claims;
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
        boolean owned = claims != null && claims.enabled() && parser.schema().hasIdField();
        try (Connection hbase = owned ? ConnectionFactory.createConnection(claims.clientConfiguration()) : null) {
            return replay(position, fromBatch, committedNext, hbase, fold);
        }
    }

    private <T extends Serializable> List<T> replay(
            ReplayPosition position, long fromBatch, long committedNext, Connection hbase, Fold<T> fold)
            throws IOException {
        List<PartitionBatch> read = new ArrayList<>();
        for (Map.Entry<Long, List<ArchivedBatches.Block>> batch :
                ArchivedBatches.list(fs, layout, fromBatch, committedNext).entrySet()) {
            long base = batch.getKey();
            List<PositionedEvent> events = new ArrayList<>();
            for (ArchivedBatches.Block block : batch.getValue()) {
                PartitionBatch parsed = block.parse(fs, parser);
                if (hbase != null) {
                    parsed = EventClaims.ownedInArchive(hbase, claims, parsed, block.partition());
                }
                events.addAll(parsed.valid());
            }
            SourceRange range = SourceRange.of(
                    PushSource.CLOCK.topic(), PushSource.CLOCK.partition(), base, base + PushSource.RECORDS_PER_BLOCK);
            read.add(new PartitionBatch(range, events, List.of()));
        }
        return read.isEmpty() ? List.of() : List.of(fold.fold(position, read));
    }
}
