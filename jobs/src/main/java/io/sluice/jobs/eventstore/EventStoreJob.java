package io.sluice.jobs.eventstore;

import io.sluice.api.DriverOutput;
import io.sluice.api.JobSetup;
import io.sluice.api.SluiceJob;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOutput;
import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.jobs.sink.hbase.EventStoreSink;
import io.sluice.jobs.sink.hbase.EventStoreTable;
import io.sluice.jobs.sink.hbase.HBaseConfig;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.hbase.client.Admin;

/**
 * The event store: each valid event to HBase's event table, row key derived from {@code event_id} (salted), cell
 * timestamp = event time, so a replay rewrites the same cell. Its table also holds the claims that keep an {@code
 * event_id} once, so naming this job turns deduplication on. Its settings are the {@code sluice.hbase.*} keys.
 */
public final class EventStoreJob implements SluiceJob {
    public static final String NAME = "event-store";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean usesHBase() {
        return true;
    }

    @Override
    public TaskOutput taskOutput(JobSetup setup) {
        return new Task(HBaseConfig.settings(setup.config(), true));
    }

    /** Creates the event table at start when it is missing and {@code sluice.hbase.create-tables} is on. */
    @Override
    public Optional<DriverOutput> driverOutput(JobSetup setup) {
        HBaseSettings settings = HBaseConfig.settings(setup.config(), true);
        boolean create = setup.config().getBoolean(HBaseConfig.CREATE);
        return Optional.of(new DriverOutput() {
            @Override
            public void recover(CommittedOffsets committed) throws IOException {
                if (create) {
                    try (Admin admin = setup.hbase().getAdmin()) {
                        EventStoreTable.ensure(admin, settings);
                    }
                }
            }
        });
    }

    /** Writes a batch's valid events; counts the cells written ({@code cells}). */
    private record Task(HBaseSettings settings) implements TaskOutput {
        @Override
        public void write(PartitionBatch batch, TaskContext context) throws IOException {
            context.count("cells", new EventStoreSink(context.hbase(), settings).write(batch));
        }
    }
}
