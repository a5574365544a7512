package io.sluice.jobs.sink.hbase;

import java.io.IOException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the event store table when it is missing: pre-split by salt, one version per cell. */
public final class EventStoreTable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStoreTable.class);

    private EventStoreTable() {}

    public static void ensure(Admin admin, HBaseSettings settings) throws IOException {
        TableName name = TableName.valueOf(settings.eventTable());
        if (admin.tableExists(name)) {
            return;
        }
        var family = ColumnFamilyDescriptorBuilder.newBuilder(HBaseSettings.FAMILY)
                .setMaxVersions(1)
                .build();
        var table =
                TableDescriptorBuilder.newBuilder(name).setColumnFamily(family).build();
        try {
            if (settings.saltBuckets() > 1) {
                admin.createTable(table, EventRowKey.splitKeys(settings.saltBuckets()));
            } else {
                admin.createTable(table);
            }
            LOG.info("created HBase table {} with {} salt buckets", name, settings.saltBuckets());
        } catch (org.apache.hadoop.hbase.TableExistsException raced) {
            // created concurrently: fine
        }
    }
}
