package io.sluice.jobs.sink.hbase;

import java.io.IOException;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the results table when it is missing: families {@code c} and {@code t}, one version per cell. */
public final class ResultsTable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsTable.class);

    private ResultsTable() {}

    public static void ensure(Admin admin, String table) throws IOException {
        TableName name = TableName.valueOf(table);
        if (admin.tableExists(name)) {
            return;
        }
        var builder = TableDescriptorBuilder.newBuilder(name);
        for (byte[] family : new byte[][] {ResultsLayout.COUNTS, ResultsLayout.TOP}) {
            builder.setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(family)
                    .setMaxVersions(1)
                    .build());
        }
        try {
            admin.createTable(builder.build());
            LOG.info("created HBase results table {}", name);
        } catch (TableExistsException raced) {
            // created concurrently: fine
        }
    }
}
