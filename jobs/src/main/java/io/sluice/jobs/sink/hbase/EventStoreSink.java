package io.sluice.jobs.sink.hbase;

import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import java.io.IOException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Durability;
import org.apache.hadoop.hbase.client.Put;

/**
 * The event store: one HBase row per event, row key from {@code event_id} ({@link EventRowKey}), cell timestamp =
 * event time. Idempotent: a replayed event rewrites the same cell (same row, column and timestamp), leaving one
 * version. A failure to write is thrown after the client's own retries, failing the batch, which is then written
 * again.
 */
public final class EventStoreSink {
    private final Connection connection;
    private final HBaseSettings settings;

    public EventStoreSink(Connection connection, HBaseSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    /** Writes every valid event of the batch and flushes; returns the number of cells written. */
    public long write(PartitionBatch batch) throws IOException {
        if (batch.valid().isEmpty()) {
            return 0;
        }
        try (BufferedMutator mutator = connection.getBufferedMutator(TableName.valueOf(settings.eventTable()))) {
            for (PositionedEvent e : batch.valid()) {
                Put put = new Put(
                        EventRowKey.of(e.event().eventId(), settings.saltBuckets()),
                        e.event().ts());
                put.addColumn(HBaseSettings.FAMILY, HBaseSettings.RAW, e.event().ts(), e.raw());
                if (e.late()) { // counted as a revision of its window
                    put.addColumn(
                            HBaseSettings.FAMILY, HBaseSettings.LATE, e.event().ts(), HBaseSettings.LATE_VALUE);
                }
                put.setDurability(Durability.SYNC_WAL);
                mutator.mutate(put);
            }
            mutator.flush();
        }
        return batch.valid().size();
    }
}
